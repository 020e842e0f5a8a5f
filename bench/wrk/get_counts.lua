-- GET /api/counts for the 20 threads of a listing page.
package.path = package.path .. ";" .. debug.getinfo(1, "S").source:match("@(.*/)") .. "?.lua"
local report = require("report")
local query = {}
for i = 0, 19 do query[#query + 1] = "thread=/blogg/innlegg-" .. i end
wrk.path = "/api/counts?" .. table.concat(query, "&")
done = report.done
