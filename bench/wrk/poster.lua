-- Shared by the wrk scripts that post comments (post_comments.lua, isso_new.lua): each request
-- the next comment of comment_mix.lua with a body no run repeats (the run's id, wrk's thread
-- and a counter), so none is refused as a resubmission.
local poster = {}

local comments = require("comment_mix")
local threads_started = 0

-- Runs in wrk's main Lua state; `tid` becomes a global of each thread's own state.
function poster.setup(thread)
  thread:set("tid", threads_started)
  threads_started = threads_started + 1
end

poster.run_id = "0"

function poster.init(args)
  poster.run_id = args[1] or "0"
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

function poster.escape(s)
  return (s:gsub('[%c"\\]', function(c) return string.format("\\u%04x", c:byte()) end))
end

local counter = 0

-- The next comment: its counter, author and unique text (both JSON-escaped).
function poster.next()
  counter = counter + 1
  local c = comments[(counter % #comments) + 1]
  local text = string.format("%s (%s-%d-%d)", c.body, poster.run_id, tid or 0, counter)
  return counter, poster.escape(c.name), poster.escape(text)
end

return poster
