package com.fanzfinance.ledger.cluster;

/**
 * One member's view of the cluster.
 *
 * @param member              this member's number
 * @param role                leader, follower or candidate
 * @param leader              the member it knows as leader (-1 before the first election)
 * @param appliedCommands     commands this member has applied
 * @param eventsWrittenThrough the last command whose outcome events are in this member's event stream
 * @param snapshotsTaken      snapshots this member has written since it started
 */
public record ClusterStatus(int member, String role, int leader, long appliedCommands, long eventsWrittenThrough,
                            long snapshotsTaken) {
}
