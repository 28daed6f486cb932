-- wrk script: each write carries DEPTH requests (wrk -s bench_pipeline.lua URL -- DEPTH),
-- the "pipelined plaintext" setting of the TechEmpower benchmarks. wrk counts every response.
init = function(args)
  local depth = tonumber(args[1]) or 16
  local r = {}
  for i = 1, depth do r[i] = wrk.format(nil) end
  req = table.concat(r)
end
request = function() return req end
