// Proxy auto-config for school devices that use the explicit proxy (PAC/WPAD).
// Serve it as http://wpad.<school domain>/wpad.dat (Content-Type: application/x-ns-proxy-autoconfig)
// or set it as the devices' automatic proxy configuration URL. Replace 10.20.0.1 with the
// gateway address schoolgate's explicit listener (listen.proxy) uses on the school network.
function FindProxyForURL(url, host) {
  // Local names and the school's own networks go direct.
  if (isPlainHostName(host) ||
      isInNet(host, "10.0.0.0", "255.0.0.0") ||
      isInNet(host, "127.0.0.0", "255.0.0.0")) {
    return "DIRECT";
  }
  // Everything else through schoolgate. No "; DIRECT" fallback: if the filter is down,
  // pupils must not be sent round it (fail closed).
  return "PROXY 10.20.0.1:3128";
}
