#!/usr/bin/env bash
# A group's life through the CLI: every request as data, then a sample reply parsed. No network.
set -euo pipefail
W=${1:-target/debug/wagroups}
PHONE=427119830566204
GROUP=Y2FwaV9ncm91cDoxNTU1NzMxMjA0ODoxMjAzNjM0MTkwODY2NTIyMTMZD
WAMID=wamid.HBgLMTU1NTczMTIwNDgVAgARGBI3QzFFM0E5RjBCNTJEODRFNjEA
export WAGROUPS_ACCESS_TOKEN=EAAG-demo-token

step() { # title operation params status reply
  echo; echo "=== $1"
  echo "--- request ($2)"
  "$W" request "$2" --params "$3" | sed 's/Bearer [^"]*/Bearer <token>/'
  echo "--- reply (HTTP $4) parsed"
  printf '%s' "$5" | "$W" response "$2" --status "$4" - || true
}

step "1. Create the group" create_group \
  "{\"phone_number_id\":\"$PHONE\",\"subject\":\"Sunday Gravel Ride Crew\",\"join_approval_mode\":\"approval_required\"}" \
  200 '{"messaging_product":"whatsapp","request_id":"A7F3C91E0B5D4286E1C3F9A0B7D25E64"}'
step "2. List active groups" list_groups "{\"phone_number_id\":\"$PHONE\",\"limit\":2}" 200 \
  "{\"data\":{\"groups\":[{\"id\":\"$GROUP\",\"subject\":\"Sunday Gravel Ride Crew\",\"created_at\":\"1780934402\"}]},\"paging\":{\"cursors\":{\"after\":\"QVFIUjN0\"},\"next\":\"https://graph.facebook.com/v23.0/$PHONE/groups?after=QVFIUjN0\"}}"
echo "--- next page parameters"
"$W" next-page list_groups --params "{\"phone_number_id\":\"$PHONE\",\"limit\":2}" - <<<"{\"data\":{\"groups\":[]},\"paging\":{\"cursors\":{\"after\":\"QVFIUjN0\"},\"next\":\"https://x\"}}"
step "3. Read its details" get_group_info "{\"group_id\":\"$GROUP\",\"fields\":[\"subject\",\"participants\",\"total_participant_count\"]}" 200 \
  "{\"id\":\"$GROUP\",\"subject\":\"Sunday Gravel Ride Crew\",\"total_participant_count\":\"1\",\"participants\":[{\"wa_id\":\"447700900318\",\"user_id\":\"GB.48213377590021846511\"}]}"
step "4. Get the invite link" get_invite_link "{\"group_id\":\"$GROUP\"}" 200 \
  '{"messaging_product":"whatsapp","invite_link":"https://chat.whatsapp.com/Hq7RbT2mXe9LwPz4NcV1dS"}'
step "5. Send the link 1:1 with the invite template" send_invite_link_template \
  "{\"phone_number_id\":\"$PHONE\",\"to\":\"447700900318\",\"template\":{\"name\":\"harbor_group_invite\",\"language\":{\"code\":\"en\"},\"components\":[{\"type\":\"body\",\"parameters\":[{\"type\":\"group_id\",\"group_id\":\"$GROUP\"}]}]}}" \
  200 "{\"messages\":[{\"id\":\"$WAMID\"}]}"
step "6. List join requests" list_join_requests "{\"group_id\":\"$GROUP\"}" 200 \
  '{"data":[{"join_request_id":"MTQxNTU1NTAxNzM6MTIw","wa_id":"14155550173","creation_timestamp":1781261377}]}'
step "7. Approve them (one fails: a partial result, not an exception)" approve_join_requests \
  "{\"group_id\":\"$GROUP\",\"join_requests\":[\"MTQxNTU1NTAxNzM6MTIw\",\"NjE0OTE1NzAxNTY6MTIw\"]}" 206 \
  '{"approved_join_requests":["MTQxNTU1NTAxNzM6MTIw"],"failed_join_requests":[{"join_request_id":"NjE0OTE1NzAxNTY6MTIw","errors":[{"code":131203,"title":"Unable to add participant to group"}]}],"errors":[{"code":131201,"title":"Request partially succeeded"}]}'
step "8. Rename it" update_group_settings "{\"group_id\":\"$GROUP\",\"subject\":\"Sunday Gravel Crew (Summer)\"}" 200 ''
step "9. Greet the group" send_message \
  "{\"phone_number_id\":\"$PHONE\",\"group_id\":\"$GROUP\",\"type\":\"text\",\"text\":{\"body\":\"Welcome! Route is up.\",\"preview_url\":true}}" \
  200 "{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"$GROUP\"}],\"messages\":[{\"id\":\"$WAMID\"}]}"
step "10. Pin it for a week" pin_message "{\"phone_number_id\":\"$PHONE\",\"group_id\":\"$GROUP\",\"pin\":{\"message_id\":\"$WAMID\",\"expiration_days\":7}}" \
  200 "{\"messages\":[{\"id\":\"$WAMID\"}]}"
step "11. Too fast: the rate limit is classified" remove_participants \
  "{\"group_id\":\"$GROUP\",\"participants\":[{\"user\":\"+14155550173\"}]}" 429 \
  '{"error":{"message":"(#131208) Group Rate Limit Hit","type":"OAuthException","code":131208,"fbtrace_id":"AbX3"}}'
step "12. Reset the invite link" reset_invite_link "{\"group_id\":\"$GROUP\"}" 200 \
  '{"messaging_product":"whatsapp","invite_link":"https://chat.whatsapp.com/Vd3sKw9YcQ1nHt6ZpR8mLa"}'
step "13. Delete the group" delete_group "{\"group_id\":\"$GROUP\"}" 200 '{"success":"true"}'
echo; echo "=== Invalid input is refused before anything is sent (every problem at once)"
"$W" request remove_participants --params '{"group_id":"","participants":[{"user":"1"},{"user":"+1"},{"user_id":"x"}],"extra":1}' || echo "(exit $?)"
