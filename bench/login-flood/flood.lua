-- POST /api/v1/auth/login with a wrong password, rotating through 1,000 user names, as the audit's flood did.
-- Counts the answers by kind so run.sh can print the share of 429s.
local names = 1000
local counter = 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
end

function request()
  counter = counter + 1
  local body = string.format('{"username":"flood-%04d","password":"wrong-password-%d"}', counter % names, counter)
  return wrk.format("POST", "/api/v1/auth/login", { ["Content-Type"] = "application/json" }, body)
end

-- A 429 is either the per-address limiter ("limited") or the full password-hash gate ("busy").
function response(status, headers, body)
  local key = tostring(status)
  if status == 429 then
    key = string.find(body, "PASSWORD_CHECK_BUSY", 1, true) and "busy" or "limited"
  end
  statuses[key] = (statuses[key] or 0) + 1
end

function done(summary, latency, requests)
  local totals = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      totals[status] = (totals[status] or 0) + count
    end
  end
  local line = {}
  for status, count in pairs(totals) do
    table.insert(line, status .. "=" .. count)
  end
  io.write("statuses " .. table.concat(line, " ") .. "\n")
end
