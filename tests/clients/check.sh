# Shared by the client test scripts: one "ok - / FAIL -" line per check, and the closing
# "N passed, N failed" line that scripts/test.sh adds up. Source it, then:
#   check "what was checked" "$(condition; echo $?)"   # 0 = ok
#   ...
#   check_summary   # prints the counts; its status is the script's (0 only if nothing failed)
pass=0
fail=0
check() {
	if [ "$2" = 0 ]; then
		pass=$((pass + 1))
		echo "ok   - $1"
	else
		fail=$((fail + 1))
		echo "FAIL - $1"
	fi
}
check_summary() {
	echo "$pass passed, $fail failed"
	[ "$fail" = 0 ]
}
