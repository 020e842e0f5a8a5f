-- POST /api/comments with a mix of realistic comments: Norwegian and English ham, and spam the
-- default rules hold or file. Every body is unique (a counter per thread and connection), so no
-- request is refused as a resubmission.
package.path = package.path .. ";" .. debug.getinfo(1, "S").source:match("@(.*/)") .. "?.lua"
local report = require("report")

local comments = require("comment_mix")

local counter = 0
local threads_started = 0

-- Runs in wrk's main Lua state; `tid` becomes a global of each thread's own state.
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
    '{"thread":"/blogg/innlegg-%d","name":"%s","email":"leser%d@example.no","body":"%s (%s-%d-%d)"}',
    counter % 200, escape(c.name), counter % 500, escape(c.body), run_id, tid or 0, counter)
  return wrk.format(nil, "/api/comments", nil, body)
end

done = report.done
