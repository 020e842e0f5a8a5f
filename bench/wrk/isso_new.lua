-- POST /isso/new: the same comments, threads and authors as post_comments.lua, in the body Isso's
-- client sends, so the two routes' figures compare the APIs and nothing else.
package.path = package.path .. ";" .. debug.getinfo(1, "S").source:match("@(.*/)") .. "?.lua"
local report = require("report")

local comments = require("comment_mix")

local counter = 0
local threads_started = 0

function setup(thread)
  thread:set("tid", threads_started)
  threads_started = threads_started + 1
end

local run_id = "0"

function init(args)
  run_id = args[1] or "0"
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

local function escape(s)
  return (s:gsub('[%c"\\]', function(c) return string.format("\\u%04x", c:byte()) end))
end

function request()
  counter = counter + 1
  local c = comments[(counter % #comments) + 1]
  local body = string.format(
    '{"author":"%s","email":"leser%d@example.no","website":null,"text":"%s (%s-%d-%d)",' ..
    '"parent":null,"title":null,"notification":0}',
    escape(c.name), counter % 500, escape(c.body), run_id, tid or 0, counter)
  return wrk.format(nil, string.format("/isso/new?uri=%%2Fblogg%%2Finnlegg-%d", counter % 200),
                    nil, body)
end

done = report.done
