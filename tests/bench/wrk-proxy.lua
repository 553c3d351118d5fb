-- wrk through an explicit proxy: wrk connects to the PROXY and sends absolute-form request
-- lines (wrk has no proxy option). BENCH_PATH: "http://127.0.0.1:18080/small" through a
-- proxy, "/small" direct; BENCH_HOST: the Host header. Prints one "RESULT" line:
-- requests duration_s p50_us p99_us errors
local path = os.getenv("BENCH_PATH") or "/small"
wrk.method = "GET"
wrk.path = path
wrk.headers["Host"] = os.getenv("BENCH_HOST") or "127.0.0.1:18080"
done = function(s, lat, req)
  io.write(string.format("RESULT %d %.3f %d %d %d\n", s.requests, s.duration / 1e6, lat:percentile(50),
    lat:percentile(99), s.errors.connect + s.errors.read + s.errors.write + s.errors.status + s.errors.timeout))
end
