-- GET the thread page of get_thread.lua (50 approved comments) as Isso's client asks for it.
package.path = package.path .. ";" .. debug.getinfo(1, "S").source:match("@(.*/)") .. "?.lua"
local report = require("report")
wrk.path = "/isso/?uri=%2Fblogg%2Flesverdig&sort=oldest&offset=0&nested_limit=5"
done = report.done
