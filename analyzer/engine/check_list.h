/* check_list.h: the per-path checks, one line each (smatch's check_list.h).
 * X(rule id, the check, rank). Rank orders the findings one object can
 * have along its paths: of the checks with a rank, only the highest one
 * found is reported (a thread destroyed joinable says more than one never
 * joined); rank 0 findings are each reported once per site. No include
 * guard: included with different X definitions. */
X(CHK_THREAD_JOINABLE_DESTROYED, check_joinable_destroyed, 4)
X(CHK_CREATED_IN_LOOP, check_created_in_loop, 3)
X(CHK_MISSING_STOP, check_missing_stop, 2)
X(CHK_MISSING_JOIN, check_missing_join, 2)
X(CHK_DISARMED, check_disarmed, 1)
X(CHK_USE_AFTER_RELEASE, check_use_after_release, 0)
X(CHK_HANDLE_DISCARDED, check_handle_discarded, 0)
X(CHK_STOP_TOO_LATE, check_stop_too_late, 0)
