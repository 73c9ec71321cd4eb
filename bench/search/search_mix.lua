-- wrk script: GET /api/search cycling over the queries of a file, one per
-- line (UTF-8), percent-encoded here. Usage:
--   wrk -t1 -c16 -d20s --latency -s bench/search/search_mix.lua http://127.0.0.1:8080 -- QUERIES [EXTRA]
-- EXTRA is appended to every URL, e.g. "&limit=10&snippets=false".
local queries = {}
local extra = ""
local i = 0

local function encode(s)
  return (s:gsub("[^%w%-_%.~]", function(c)
    return string.format("%%%02X", string.byte(c))
  end))
end

function init(args)
  local path = args[1] or error("usage: ... -- QUERIES_FILE [EXTRA]")
  extra = args[2] or ""
  for line in io.lines(path) do
    if #line > 0 then
      queries[#queries + 1] = encode(line)
    end
  end
  -- Threads start at different places so they do not walk in step.
  i = math.random(#queries)
end

function request()
  i = i % #queries + 1
  return wrk.format("GET", "/api/search?q=" .. queries[i] .. extra)
end
