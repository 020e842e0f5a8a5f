-- POST /api/comments with a mix of realistic comments: Norwegian and English ham, and spam the
-- default rules hold or file. Every body is unique (poster.lua), so no request is refused as a
-- resubmission.
package.path = package.path .. ";" .. debug.getinfo(1, "S").source:match("@(.*/)") .. "?.lua"
local report = require("report")
local poster = require("poster")

setup = poster.setup
init = poster.init

function request()
  local n, name, text = poster.next()
  local body = string.format(
    '{"thread":"/blogg/innlegg-%d","name":"%s","email":"leser%d@example.no","body":"%s"}',
    n % 200, name, n % 500, text)
  return wrk.format(nil, "/api/comments", nil, body)
end

done = report.done
