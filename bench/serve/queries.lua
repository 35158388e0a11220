-- wrk: GET /tmserver/de/en/unit/{text} over the queries in $QUERIES (one
-- percent-encoded text a line), each thread starting at its own place.
local queries = {}
for line in io.lines(os.getenv("QUERIES")) do
  queries[#queries + 1] = line
end
local i = 0
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("start", counter * 97)
end

function init(args)
  i = start or 0
end

function request()
  i = i % #queries + 1
  return wrk.format("GET", "/tmserver/de/en/unit/" .. queries[i])
end
