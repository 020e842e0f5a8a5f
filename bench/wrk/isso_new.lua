-- POST /isso/new: the same comments, threads and authors as post_comments.lua (poster.lua), in
-- the body Isso's client sends, so the two routes' figures compare the APIs and nothing else.
package.path = package.path .. ";" .. debug.getinfo(1, "S").source:match("@(.*/)") .. "?.lua"
local report = require("report")
local poster = require("poster")

setup = poster.setup
init = poster.init

function request()
  local n, name, text = poster.next()
  local body = string.format(
    '{"author":"%s","email":"leser%d@example.no","website":null,"text":"%s",' ..
    '"parent":null,"title":null,"notification":0}',
    name, n % 500, text)
  return wrk.format(nil, string.format("/isso/new?uri=%%2Fblogg%%2Finnlegg-%d", n % 200), nil,
                    body)
end

done = report.done
