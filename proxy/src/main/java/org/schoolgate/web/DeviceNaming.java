package org.schoolgate.web;

import static io.netty.handler.codec.http.HttpMethod.POST;
import static org.schoolgate.web.Forms.await;
import static org.schoolgate.web.Forms.first;

import org.schoolgate.net.DeviceNames;
import org.schoolgate.rules.AddressInput;
import org.schoolgate.rules.AdminService;
import org.schoolgate.rules.Roles;
import org.schoolgate.store.Rows;

/**
 * "Name a device" on the console's devices page (issue 24 item 9): the same naming as
 * {@code PUT /api/devices/{device}/name} ({@link AdminService#nameDevice}), by IP address or MAC,
 * durable and audited; the name then shows wherever the console lists the device.
 */
final class DeviceNaming {
  private final AdminService service;

  DeviceNaming(AdminService service) {
    this.service = service;
  }

  void addTo(RouteTable.Builder b) {
    b.page(POST, "/devices/name", Roles.MANAGERS, this::name);
  }

  private Page name(RouteTable.Request r) {
    return Actions.form(r, "/devices", "name", "/devices", () -> {
      String device = Invalid.required(r.form(), "device", "Please give the device's address (like 10.10.4.21) or its MAC.");
      if (DeviceNames.mac(device) == null) {
        Invalid.of("device", () -> AddressInput.parse(device));
      }
      String name = Invalid.required(r.form(), "name", "Please give the device a name, like \u201cY5 iPad 12\u201d.");
      Rows.DeviceName named = await(service.nameDevice(r.user(), device, name));
      return named.device() + " is now called \u201c" + named.name() + "\u201d.";
    });
  }
}
