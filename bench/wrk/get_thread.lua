-- GET one thread page (the run seeds it with 50 approved comments).
package.path = package.path .. ";" .. debug.getinfo(1, "S").source:match("@(.*/)") .. "?.lua"
local report = require("report")
wrk.path = "/api/comments?thread=/blogg/lesverdig&limit=50"
done = report.done
