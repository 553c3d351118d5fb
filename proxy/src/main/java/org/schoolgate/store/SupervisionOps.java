package org.schoolgate.store;

import java.sql.Connection;
import java.util.List;

/**
 * Supervised devices and the names people give devices, inside a {@link Store#transaction}.
 * Gateways hold the supervised devices in memory ({@link Store.Changed#DEVICES}).
 */
public final class SupervisionOps extends Sql {
  private static final RowMapper<Rows.Device> DEVICE = rs -> new Rows.Device(rs.getString("address"), rs.getString("since"),
      rs.getInt("attempts"), split(rs.getString("kinds")), rs.getString("mode"), rs.getString("mac"));
  private static final RowMapper<Rows.DeviceName> NAME = rs -> new Rows.DeviceName(rs.getString("device"),
      rs.getString("name"), rs.getString("set_by"), rs.getString("set_at"));

  SupervisionOps(Connection c) {
    super(c);
  }

  /** Puts a device under supervision, or updates its attempts, kinds and MAC (never its start or mode). */
  public void putDevice(Rows.Device d) {
    update("INSERT INTO devices (address, since, attempts, kinds, mode, mac) VALUES (?, ?, ?, ?, ?, ?) "
        + "ON CONFLICT(address) DO UPDATE SET attempts = excluded.attempts, kinds = excluded.kinds, mac = excluded.mac",
        d.address(), d.since(), d.attempts(), String.join(",", d.kinds()), d.mode(), d.mac());
  }

  /** False when the device was not under supervision. */
  public boolean removeDevice(String address) {
    return update("DELETE FROM devices WHERE address = ?", address) > 0;
  }

  /** Newest supervision first. */
  public List<Rows.Device> devices() {
    return query(DEVICE, "SELECT * FROM devices ORDER BY since DESC");
  }

  /** Names a device (by address or MAC), replacing its old name. */
  public void nameDevice(Rows.DeviceName n) {
    update("INSERT INTO device_names (device, name, set_by, set_at) VALUES (?, ?, ?, ?) ON CONFLICT(device) DO UPDATE "
        + "SET name = excluded.name, set_by = excluded.set_by, set_at = excluded.set_at", n.device(), n.name(), n.setBy(),
        n.setAt());
  }

  /** The name of a device by address or MAC, or null. */
  public Rows.DeviceName deviceName(String device) {
    return first(query(NAME, "SELECT * FROM device_names WHERE device = ?", device));
  }

  /** Every named device, by key. */
  public List<Rows.DeviceName> deviceNames() {
    return query(NAME, "SELECT * FROM device_names ORDER BY device");
  }
}
