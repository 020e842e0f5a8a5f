-- The soak's readers: thread pages (first pages and, with a cursor-less offset, the newest),
-- comment counts for 20 threads, and /healthz, rotating over the threads the posters write.
package.path = package.path .. ";" .. debug.getinfo(1, "S").source:match("@(.*/)") .. "?.lua"
local report = require("report")

local counter = 0

function request()
  counter = counter + 1
  local kind = counter % 4
  local thread = counter % 200
  if kind == 0 then
    return wrk.format("GET", string.format("/api/comments?thread=/blogg/innlegg-%d&limit=50", thread))
  elseif kind == 1 then
    return wrk.format("GET", string.format(
      "/api/comments?thread=/blogg/innlegg-%d&sort=newest&limit=20", thread))
  elseif kind == 2 then
    local query = {}
    for i = 0, 19 do query[#query + 1] = string.format("thread=/blogg/innlegg-%d", (thread + i) % 200) end
    return wrk.format("GET", "/api/counts?" .. table.concat(query, "&"))
  end
  return wrk.format("GET", "/healthz")
end

done = report.done
