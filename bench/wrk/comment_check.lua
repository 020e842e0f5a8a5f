-- POST /1.1/comment-check (the Akismet-compatible API) with the mix of post_comments.lua, form
-- encoded as Akismet clients send it, each from its own address. Stored: Vokter keeps every
-- checked comment durably, as a real check does; add "test" after the key for is_test=1
-- (scored, nothing stored).
-- Usage: wrk -s comment_check.lua URL -- RUN_ID API_KEY [test]
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

function setup(thread)
  thread:set("tid", threads_started)
  threads_started = threads_started + 1
end

local run_id, api_key, test = "0", "", false

local function urlencode(s)
  s = s:gsub("[^A-Za-z0-9%-%._~ ]", function(c) return string.format("%%%02X", c:byte()) end)
  return (s:gsub(" ", "+"))
end

function init(args)
  run_id = args[1] or "0"
  api_key = assert(args[2], "usage: -- RUN_ID API_KEY [test]")
  test = args[3] == "test"
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end

function request()
  counter = counter + 1
  local c = comments[(counter % #comments) + 1]
  local body = "api_key=" .. api_key .. "&blog=" .. urlencode("https://blogg.example.no") ..
    "&user_ip=10." .. ((tid or 0) + 1) .. "." .. (counter % 250) .. "." .. (counter % 7 + 1) ..
    "&user_agent=" .. urlencode("Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0") ..
    "&permalink=" .. urlencode("https://blogg.example.no/innlegg-" .. (counter % 200)) ..
    "&comment_type=comment&comment_author=" .. urlencode(c.name) ..
    "&comment_author_email=" .. urlencode("leser" .. (counter % 500) .. "@example.no") ..
    "&comment_content=" .. urlencode(c.body .. " (" .. run_id .. "-" .. (tid or 0) .. "-" .. counter .. ")") ..
    (test and "&is_test=1" or "")
  return wrk.format(nil, "/1.1/comment-check", nil, body)
end

done = report.done
