-- wrk script for bench/portal.sh: the portal under mixed reads and writes.
--
-- Environment:
--   BENCH_DATA         the Lua file bench/portal_sessions.py wrote: sessions
--                      (cookie, CSRF token, comment stamp) and the ids to read
--   BENCH_MIX          mixed (default) | read | write
--   BENCH_WRITE_SHARE  share of writes in the mixed run (default 0.10)
--   BENCH_WRK_THREADS  wrk's -t (the users are divided among the threads)
--   BENCH_SLICE        "K/N": this run uses the K-th of N disjoint slices of
--                      the users and of the offers awaiting moderation, so
--                      several runs on one database never share a budget
--   BENCH_SEED         random seed (default 1)
--   BENCH_WRITE_KINDS  the writes to make, equally often (default
--                      comment,interest,offer,approve,profile)
--   BENCH_WRITE_RATE   write mode only: this many requests per second in all
--                      (see delay() below); 0 = as fast as possible
--
-- Sessions and CSRF.  portal_sessions.py logs every account in through the
-- login form before the run and keeps its cookie `ksid` and the CSRF token
-- of its session (a form's hidden field "csrf"; it stays valid as long as
-- the session), and for users the comment form's time stamp of their
-- article (the form refuses a comment sent less than 3 s after the page
-- was made; by the run it is older, and it stays valid a day).  Every POST
-- sends its account's cookie and token, form-encoded like a browser's.
--
-- Responses.  Reads must answer 200 and writes 303 with the Location of
-- their success (e.g. /news/ID?comment=sent); response() counts answers by
-- class and a 3xx elsewhere as an error.  portal.sh fails the run on any
-- socket error, 4xx, 5xx or stray redirect.
--
-- Rate limits.  Comments are limited to 5 per user per 10 minutes and
-- "I am interested" messages to 5 per user per hour; an offer is approved
-- once.  Each thread owns a disjoint set of users and of pending offers and
-- counts what each has left, so no write can meet a limit: when a user's
-- budget is spent the next user with budget takes the write, and when the
-- whole slice is spent the write becomes an account profile change (which
-- has no limit) and is counted as a substitution.
--
-- done() prints machine-readable lines for portal.sh (see there).

local mode = os.getenv("BENCH_MIX") or "mixed"
local write_share = tonumber(os.getenv("BENCH_WRITE_SHARE") or "0.10")
if mode == "read" then write_share = 0 elseif mode == "write" then write_share = 1 end
local nthreads = tonumber(os.getenv("BENCH_WRK_THREADS") or "2")
local slice, nslices = (os.getenv("BENCH_SLICE") or "0/1"):match("^(%d+)/(%d+)$")
slice, nslices = tonumber(slice), tonumber(nslices)
local COMMENTS_PER_USER, INTEREST_PER_USER = 5, 5
local write_kinds = {}
for kind in (os.getenv("BENCH_WRITE_KINDS") or "comment,interest,offer,approve,profile"):gmatch("[%a]+") do
  write_kinds[#write_kinds + 1] = kind
end
local write_rate = tonumber(os.getenv("BENCH_WRITE_RATE") or "0")

-- ---- the main state: hands out thread numbers, sums the counters ----
local threads = {}
function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

-- ---- each thread ----
local D, users, editors, coords, pending = nil, {}, {}, {}, {}
local unpack = table.unpack or unpack
counts = {} -- global: done() reads it with thread:get("counts")
local function count(name) counts[name] = (counts[name] or 0) + 1 end

local function urlencode(s)
  return (tostring(s):gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end
local function form(fields)
  local out = {}
  for i = 1, #fields, 2 do out[#out + 1] = urlencode(fields[i]) .. "=" .. urlencode(fields[i + 1]) end
  return table.concat(out, "&")
end
local function pick(list) return list[math.random(#list)] end

function init(args)
  D = dofile(os.getenv("BENCH_DATA"))
  math.randomseed(tonumber(os.getenv("BENCH_SEED") or "1") * 1000 + tid)
  -- users and pending offers: this run's slice, then this thread's share of it
  local k = 0
  for i, u in ipairs(D.users) do
    if (i - 1) % nslices == slice then
      if k % nthreads == tid then
        users[#users + 1] = { c = u.c, t = u.t, a = u.a, s = u.s, comments = COMMENTS_PER_USER,
                              interest = INTEREST_PER_USER }
      end
      k = k + 1
    end
  end
  k = 0
  for i, id in ipairs(D.pending) do
    if (i - 1) % nslices == slice then
      if k % nthreads == tid then pending[#pending + 1] = id end
      k = k + 1
    end
  end
  editors, coords = D.editors, D.coordinators
  assert(#users > 0, "no users for this thread: create more users")
end

-- ---- reads ----
local org_queries = { "krakow", "Krak%C3%B3w", "lodz", "%C5%81%C3%B3d%C5%BA", "gdansk", "zaklady+mechaniczne",
  "Zak%C5%82ady+Mechaniczne", "systemy+informatyczne", "62.01.Z", "instytut", "fundacja", "wroclaw&type=enterprise",
  "poznan&size=small", "meble", "logistyka&page=2", "szczecin", "zolkiewski", "przetworstwo+owocow" }
local offer_queries = { "q=wspolpraca+lozyska", "q=Wsp%C3%B3%C5%82praca+%C5%82o%C5%BCyska", "q=obrobka+skrawaniem",
  "q=spawanie", "q=chlodnictwo", "q=kompozyty+weglowe", "kind=demand", "kind=subcontracting&sort=valid_until",
  "voiv=12", "voiv=24&kind=supply", "pkd=25.62", "q=meble&voiv=30", "sort=title&page=3", "q=recykling&sort=newest",
  "q=druk+3d", "q=odlewy", "page=2&per_page=50" }
local service_queries = { "q=szkolenia", "q=efektywnosci+energetycznej", "category=laboratory", "category=export",
  "price=free", "q=cyberbezpieczenstwa&sort=title", "category=training&page=2", "q=wodorowych" }

local function read_path()
  local r = math.random(1000)
  if r <= 90 then return "/"
  elseif r <= 270 then return "/organisations?q=" .. pick(org_queries)
  elseif r <= 320 then return "/api/v1/organisations?q=" .. pick(org_queries)
  elseif r <= 470 then return "/offers?" .. pick(offer_queries)
  elseif r <= 530 then return "/services?" .. pick(service_queries)
  elseif r <= 680 then return "/offers/" .. pick(D.offers)
  elseif r <= 720 then return "/services/" .. pick(D.services)
  elseif r <= 780 then return "/news" .. (math.random(3) == 1 and "" or "?page=" .. math.random(2, 50))
  elseif r <= 905 then return "/news/" .. pick(D.articles)
  elseif r <= 910 then return "/news/" .. pick(D.articles) .. ".pdf"
  elseif r <= 960 then return "/api/v1/offers?" .. pick(offer_queries)
  elseif r <= 985 then return "/api/v1/services?" .. pick(service_queries)
  else return "/organisations/" .. pick(D.orgs) end
end

local function read()
  count("read")
  local path = read_path()
  -- one read in six carries a logged-in user's session (never served from the cache)
  if math.random(6) == 1 then
    local u = pick(users)
    count("read_session")
    if math.random(10) == 1 then path = "/account" end
    return wrk.format("GET", path, { ["Cookie"] = u.c })
  end
  return wrk.format("GET", path)
end

-- ---- writes ----
local today = os.date("%Y-%m-%d")
local until_day = os.date("%Y-%m-%d", os.time() + 90 * 86400)
local FORM = "application/x-www-form-urlencoded"
local seq = 0
local ucursor = { comments = 0, interest = 0 }

-- the next user of this thread with budget left for kind, or nil
local function user_with(kind)
  for _ = 1, #users do
    ucursor[kind] = ucursor[kind] % #users + 1
    local u = users[ucursor[kind]]
    if u[kind] > 0 then
      u[kind] = u[kind] - 1
      return u
    end
  end
  return nil
end

local function post(path, session, fields, kind)
  count("write")
  count("sent_" .. kind)
  return wrk.format("POST", path, { ["Cookie"] = session.c, ["Content-Type"] = FORM },
                    form({ "csrf", session.t, unpack(fields) }))
end

local function profile()
  local u = pick(users)
  return post("/account/profile", u, { "name", "Użytkownik Obciążeniowy " .. tid .. "-" .. seq }, "profile")
end

local writers = {}
function writers.comment()
  local u = user_with("comments")
  if not u then count("substituted") return profile() end
  return post("/news/" .. u.a .. "/comments", u, { "body", "Komentarz z testu obciążenia nr " .. tid .. "-" .. seq ..
    ": dziękujemy za informację, zgłaszamy udział.", "stamp", u.s, "website", "" }, "comment")
end
function writers.interest()
  local u = user_with("interest")
  if not u then count("substituted") return profile() end
  return post("/offers/interest/" .. pick(D.offers), u, { "message", "Dzień dobry, jesteśmy zainteresowani " ..
    "współpracą (wiadomość nr " .. tid .. "-" .. seq .. "). Prosimy o kontakt przez portal." }, "interest")
end
function writers.offer()
  return post("/offers/new", pick(editors), { "kind", "cooperation", "title", "Współpraca przy łożyskach — test " ..
    tid .. "-" .. seq, "description", "Szukamy partnera do wspólnej produkcji łożysk ślizgowych. Oferta z testu obciążenia.",
    "pkd_codes", "28.15.Z", "keywords", "łożyska, współpraca", "voivodeship", "12", "valid_from", today,
    "valid_until", until_day, "contact_name", "Zofia Łożyńska", "contact_email", "oferty@bench-editor.example",
    "contact_phone", "" }, "offer")
end
function writers.approve()
  if #pending == 0 then count("substituted") return profile() end
  return post("/admin/offers/approve", pick(coords), { "base", "offer", "id", table.remove(pending), "note", "" },
              "approve")
end
writers.profile = profile
for _, kind in ipairs(write_kinds) do assert(writers[kind], "BENCH_WRITE_KINDS: unknown write " .. kind) end

local function write()
  seq = seq + 1
  return writers[pick(write_kinds)]()
end

-- pacing of the write-only process: wrk calls delay() before each request,
-- and each request gets the next free slot of a fixed schedule (LuaJIT's
-- ffi gives the monotonic clock), so the rate holds whatever the latency
-- is, as long as the connections suffice; a late slot is not made up.
if mode == "write" and write_rate > 0 then
  local ffi = require("ffi")
  ffi.cdef[[ typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
             int clock_gettime(int clk, bench_timespec *ts); ]]
  local ts = ffi.new("bench_timespec")
  local function now_ms()
    ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
    return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
  end
  local interval = 1000 * nthreads / write_rate -- each thread keeps its share
  local slot = nil
  function delay()
    local t = now_ms()
    slot = math.max((slot or t) + interval, t)
    return math.floor(slot - t)
  end
end

function request()
  if write_share > 0 and math.random() < write_share then return write() end
  return read()
end

-- Where each write's 303 leads: a write counts as done only with its own Location.
local done_at = {
  { "^/news/%d+%?comment=sent", "ok_comment" },
  { "^/offers/%d+%?done=sent", "ok_interest" },
  { "^/offers/mine%?done=created", "ok_offer" },
  { "^/account%?done=profile", "ok_profile" },
  { "^/admin/offers%?done=approved", "ok_approve" },
}

function response(status, headers, body)
  if status >= 200 and status < 300 then
    count("s2xx")
  elseif status >= 300 and status < 400 then
    count("s3xx")
    local loc, known = headers["Location"] or headers["location"] or "", false
    loc = loc:gsub("^https?://[^/]+", "")
    for _, d in ipairs(done_at) do
      if loc:match(d[1]) then count(d[2]) known = true break end
    end
    if not known then count("bad3xx") end
  elseif status >= 400 and status < 500 then
    count("s4xx")
    if status == 429 then count("s429") end
  elseif status >= 500 then
    count("s5xx")
  end
end

-- ---- the summary (main state) ----
local NAMES = { "read", "read_session", "write", "sent_comment", "sent_interest", "sent_offer", "sent_profile",
  "sent_approve", "substituted", "s2xx", "s3xx", "s4xx", "s429", "s5xx", "bad3xx", "ok_comment", "ok_interest",
  "ok_offer", "ok_profile", "ok_approve" }

function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    local c = t:get("counts") or {}
    for _, n in ipairs(NAMES) do total[n] = (total[n] or 0) + (c[n] or 0) end
  end
  local e = summary.errors
  io.write(string.format("PORTAL %s %d %d %.1f %d %d %d %d %d %d\n", mode, summary.requests, summary.duration,
    summary.requests / (summary.duration / 1e6), latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, e.connect + e.read + e.write + e.timeout, e.status))
  local line = {}
  for _, n in ipairs(NAMES) do line[#line + 1] = n .. "=" .. total[n] end
  io.write("COUNTS " .. table.concat(line, " ") .. "\n")
end
