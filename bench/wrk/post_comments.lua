-- POST /api/comments with a mix of realistic comments: Norwegian and English ham, and spam the
-- default rules hold or file. Every body is unique (a counter per thread and connection), so no
-- request is refused as a resubmission.
package.path = package.path .. ";" .. debug.getinfo(1, "S").source:match("@(.*/)") .. "?.lua"
local report = require("report")

local comments = {
  {name = "Kari", body = "Takk for en god oppsummering – særlig punkt 3! Jeg har prøvd det samme på jobben, og det fungerte bra."},
  {name = "Ola Nordmann", body = "Blåbærpaien ble en suksess i helgen. Neste gang prøver jeg med mindre sukker og litt mer kanel."},
  {name = "Ingrid", body = "Interessant lesning. Jeg er ikke helt enig i konklusjonen, men argumentene dine er gode. Hva med vinterdekk?"},
  {name = "Sam", body = "Great write-up, thanks! The part about WAL mode and group commit finally made it click for me."},
  {name = "Alex", body = "I tried this on my own blog and the numbers matched yours. Any plans for a follow-up on caching?"},
  {name = "Pål", body = "Hei! Fint innlegg 😊 Jeg delte det med kollegene mine. Gleder meg til neste del av serien."},
  {name = "Guro", body = "Kan du forklare punkt 4 litt nærmere? Jeg forstår ikke helt hvordan det henger sammen med resten."},
  {name = "best deals", body = "Check out my channel for the best crypto tips!!! Subscribe to me and win a free iPhone http://spam.example/win"},
  {name = "Lån nå", body = "Lån uten sikkerhet, svar på 5 minutter! Besøk nettsiden min www.raskelan.example i dag"},
  {name = "SEO Expert", body = "We offer high quality backlinks and guest posts for your website. Cheap viagra and cialis too: http://a.example http://b.example http://c.example"},
}

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
