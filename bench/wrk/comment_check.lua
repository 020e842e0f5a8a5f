-- POST /1.1/comment-check (the Akismet-compatible API) with the mix of post_comments.lua, form
-- encoded as Akismet clients send it, each from its own address. Stored: Vokter keeps every
-- checked comment durably, as a real check does; add "test" after the key for is_test=1
-- (scored, nothing stored).
-- Usage: wrk -s comment_check.lua URL -- RUN_ID API_KEY [test]
package.path = package.path .. ";" .. debug.getinfo(1, "S").source:match("@(.*/)") .. "?.lua"
local report = require("report")

local comments = require("comment_mix")

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
