-- wrk script for benches/http-load.sh: GraphQL requests over entity ids that
-- exist in the served graph, with a response check.
--
-- Environment:
--   IDS_FILE   one entity id per line (required)
--   MIX        blast (blast radius only), mixed (blast radius, context packet,
--              search, node, neighbors) or packet (context packets only, over
--              PACKET_INTENTS varied task descriptions); default blast
--   SELECTION  what a blast radius selects: typed (many fields, default),
--              details (the pre-built JSON value), text (the pre-rendered text)
--   LABEL      name printed on the RESULT line (default: MIX)
--
-- Every response is checked: a status other than 200 counts as non200, a 200
-- whose body carries "errors" counts as gql_errors. done() prints one line:
--   RESULT label=... requests=... rps=... p50_ms=... p90_ms=... p99_ms=... max_ms=... non200=... gql_errors=... socket_errors=...

local threads = {}

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

local function json_string(s)
  return '"' .. s:gsub('\\', '\\\\'):gsub('"', '\\"') .. '"'
end

local BLAST_TYPED = "query Blast($id: ID!) { blastRadius(change: {ids: [$id]}) { lane reviewLevel truncated"
  .. " changed { id kind name } impacted { entity { id kind name repo path } service depth confidence direct }"
  .. " owners { owner name rules } reviewers unowned tests { id name path } decisions { id title }"
  .. " failures { id title } lessons { id text } boundaries { contract producer consumer edge }"
  .. " rollout { repo after } } }"
local BLAST_DETAILS = "query Blast($id: ID!) { blastRadius(change: {ids: [$id]}) { lane details } }"
local BLAST_TEXT = "query Blast($id: ID!) { blastRadius(change: {ids: [$id]}) { lane text } }"
local PACKET = "query Packet($intent: String!) { contextPacket(intent: $intent, budgetTokens: 2000) { status tokens markdown } }"
local SEARCH = "query Search($q: String!) { search(query: $q, first: 20) { score entity { id kind name repo path } } }"
local NODE = "query Node($id: ID!) { node(id: $id) { id kind name repo path evidence { location ingestor origin } attributes { key value } } }"
local NEIGHBORS = "query Neighbors($id: ID!) { neighbors(id: $id, first: 20) { totalCount hasNextPage edges { kind relation node { id kind name } } } }"

local function body(query, op, vars)
  return '{"query":' .. json_string(query) .. ',"operationName":"' .. op .. '","variables":' .. vars .. '}'
end

-- The readable name of an id: what follows '#' (symbols, fields) or the last path segment.
local function name_of(id)
  local n = id:match("#([^#]+)$") or id:match("([^/:]+)$") or id
  return (n:gsub("[^%w_]", " "))
end

-- The repository of an id (`synth/svc0003` -> `svc0003`), or a generic phrase.
local function repo_of(id)
  return id:match("[%w_.-]+/([%w_.-]+):") or "the service"
end

-- Task descriptions for the packet workload, in the words an agent or a commit
-- subject uses: some name an identifier (%s: the readable name of an id), some
-- only a service (%r), some neither; short and long, with and without a
-- conventional-commit prefix. Rotated with the ids, so no two neighbouring
-- requests ask the same thing.
local PACKET_INTENTS = {
  "change %s and keep its callers working",
  "fix: %s returns the wrong value for negative input",
  "add a currency next to amount_cents in the record of %r",
  "fetch item should retry when the peer service times out",
  "rename %s and update every caller in %r",
  "why does %s fail on an empty id",
  "created_at is serialised in the wrong format by %r",
  "refactor(%r): split %s into smaller steps",
  "the items endpoint of %r returns 500 for a missing item",
  "who owns %s and which tests cover it",
  "add pagination to the items endpoint",
  "feat: log the record id when %s is called",
  "remove the deprecated fetch_item client from %r",
  "%s",
  "make the step functions of %r pure and document them",
  "bump the timeout of the http client used by fetch item",
}

local requests_list = {}
local n_requests = 0
local cursor = 0

function init(args)
  non200 = 0
  gql_errors = 0
  local path = os.getenv("IDS_FILE")
  local ids = {}
  if path then
    for line in io.lines(path) do
      if #line > 0 then table.insert(ids, line) end
    end
  end
  if #ids == 0 then
    error("IDS_FILE is empty or unset: the driver must collect entity ids first")
  end
  local mix = os.getenv("MIX") or "blast"
  local selection = os.getenv("SELECTION") or "typed"
  local blast_q = BLAST_TYPED
  if selection == "details" then blast_q = BLAST_DETAILS elseif selection == "text" then blast_q = BLAST_TEXT end
  local headers = { ["Content-Type"] = "application/json" }
  local token = os.getenv("TOKEN")
  if token and #token > 0 then headers["Authorization"] = "Bearer " .. token end
  -- Every thread starts at a different id so the threads do not march in step.
  local tid = tid or 1
  local offset = ((tid - 1) * 7919) % #ids
  -- One request per id (blast) or a 20-slot pattern per id (mixed):
  -- 6 blast radius, 2 context packets, 6 searches, 3 nodes, 3 neighbours.
  local pattern = { "blast", "search", "node", "blast", "search", "neighbors", "blast", "packet", "search",
    "node", "blast", "search", "neighbors", "blast", "search", "node", "blast", "packet", "search", "neighbors" }
  for k = 1, #ids do
    local id = ids[((k - 1 + offset) % #ids) + 1]
    local vars = '{"id":' .. json_string(id) .. '}'
    if mix == "packet" then
      local t = PACKET_INTENTS[((k - 1) % #PACKET_INTENTS) + 1]
      local intent = t:gsub("%%s", (name_of(id):gsub("%%", "%%%%"))):gsub("%%r", repo_of(id))
      table.insert(requests_list, wrk.format("POST", "/graphql", headers, body(PACKET, "Packet", '{"intent":' .. json_string(intent) .. '}')))
    elseif mix == "blast" then
      table.insert(requests_list, wrk.format("POST", "/graphql", headers, body(blast_q, "Blast", vars)))
    else
      local slot = pattern[((k - 1) % #pattern) + 1]
      local b
      if slot == "blast" then
        b = body(blast_q, "Blast", vars)
      elseif slot == "packet" then
        b = body(PACKET, "Packet", '{"intent":' .. json_string("change " .. name_of(id) .. " and keep its callers working") .. '}')
      elseif slot == "search" then
        b = body(SEARCH, "Search", '{"q":' .. json_string(name_of(id)) .. '}')
      elseif slot == "node" then
        b = body(NODE, "Node", vars)
      else
        b = body(NEIGHBORS, "Neighbors", vars)
      end
      table.insert(requests_list, wrk.format("POST", "/graphql", headers, b))
    end
  end
  n_requests = #requests_list
end

function request()
  cursor = cursor % n_requests + 1
  return requests_list[cursor]
end

function response(status, headers, body)
  if status ~= 200 then
    non200 = non200 + 1
  elseif body:find('"errors"', 1, true) then
    gql_errors = gql_errors + 1
  end
end

function done(summary, latency, requests)
  local n200, nerr = 0, 0
  for _, t in ipairs(threads) do
    n200 = n200 + (t:get("non200") or 0)
    nerr = nerr + (t:get("gql_errors") or 0)
  end
  local e = summary.errors
  local socket = e.connect + e.read + e.write + e.timeout
  local secs = summary.duration / 1e6
  io.write(string.format(
    "RESULT label=%s requests=%d rps=%.0f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f non200=%d gql_errors=%d socket_errors=%d\n",
    os.getenv("LABEL") or os.getenv("MIX") or "blast", summary.requests, summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, n200, nerr, socket))
end
