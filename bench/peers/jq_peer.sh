#!/usr/bin/env bash
# Peer: the jq pipeline a person would write. Same aggregation and summary line as
# bench/reference (pairs, events, in_window, last_seen_sum); jq 1.6 or later.
# usage: jq_peer.sh FILE [AS_OF_EPOCH [WINDOW_DAYS]]   (AS_OF default: 2026-11-01T00:00:00Z)
set -euo pipefail
file=$1
as_of=${2:-1793491200}
window_days=${3:-30}
jq -rn --argjson asof "$as_of" --argjson start "$((as_of - window_days * 86400))" '
  reduce (inputs
          | select(.eventType == "user.authentication.sso" and .outcome.result == "SUCCESS")
          | {t: (.published[0:19] + "Z" | fromdateiso8601),
             u: .actor.id,
             a: (first(.target[]? | select(.type == "AppInstance") | .id) // null)}
          | select(.t <= $asof and .a != null and .u != null)) as $e
    ({}; .[$e.a + "\n" + $e.u] |= {last: ([(.last // 0), $e.t] | max),
                                   events: ((.events // 0) + 1),
                                   in_window: ((.in_window // 0) + (if $e.t >= $start then 1 else 0 end))})
  | "pairs=\(length) events=\([.[].events] | add // 0) in_window=\([.[].in_window] | add // 0) last_seen_sum=\([.[].last] | add // 0 | floor) errors=0"' "$file"
