package com.fanzfinance.ledger.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One node's view of the cluster: its own number, every member's host (in member order: member i is
 * {@code hosts.get(i)}), the base of the port range, and where the node keeps its files.
 *
 * <p>Member i listens on ten ports from {@code basePort + 10 × i}: +0 clients' ingress, +1 consensus
 * between members, +2 the replicated log, +3 catch-up, +4 its archive's control, +5 the log's control
 * (multi-destination). Three members on one host therefore use {@code basePort … basePort + 25}.
 *
 * @param nodeId             this node's member number, 0 … hosts.size() − 1
 * @param hosts              every member's host name or address, in member order (1, 3, 5 or 7 of them)
 * @param basePort           the first port of the range
 * @param directory          this node's directory: archive (the log), cluster state, event stream, snapshots
 * @param snapshotInterval   how often the leader asks for a cluster-wide snapshot (zero: only on request)
 * @param heartbeatTimeout   how long followers wait for the leader before electing another
 * @param mtu                the largest UDP packet the members and their clients send: 1408 (Aeron's default)
 *                           fits a 1500-byte network; up to 65504 on loopback or a jumbo-frame network
 */
public record ClusterSettings(int nodeId, List<String> hosts, int basePort, Path directory, Duration snapshotInterval,
                              Duration heartbeatTimeout, int mtu) {
    public static final int MTU_DEFAULT = 1408;

    public static final int PORTS_PER_MEMBER = 10;
    static final int INGRESS = 0;
    static final int CONSENSUS = 1;
    static final int LOG = 2;
    static final int CATCHUP = 3;
    static final int ARCHIVE_CONTROL = 4;
    static final int LOG_CONTROL = 5;

    public ClusterSettings {
        hosts = List.copyOf(Objects.requireNonNull(hosts, "hosts"));
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(snapshotInterval, "snapshotInterval");
        Objects.requireNonNull(heartbeatTimeout, "heartbeatTimeout");
        if (hosts.isEmpty() || hosts.size() > 7 || hosts.size() % 2 == 0) {
            throw new IllegalArgumentException("a cluster has 1, 3, 5 or 7 members, got " + hosts.size());
        }
        for (String host : hosts) {
            if (host.isBlank() || host.contains(",") || host.contains("|") || host.contains("=")) {
                throw new IllegalArgumentException("not a host name: '" + host + "'");
            }
        }
        if (nodeId < 0 || nodeId >= hosts.size()) {
            throw new IllegalArgumentException("node id must be 0.." + (hosts.size() - 1) + ", got " + nodeId);
        }
        if (basePort < 1024 || basePort + PORTS_PER_MEMBER * hosts.size() > 65535) {
            throw new IllegalArgumentException("base port must leave room for " + PORTS_PER_MEMBER * hosts.size()
                + " ports between 1024 and 65535, got " + basePort);
        }
        if (snapshotInterval.isNegative()) {
            throw new IllegalArgumentException("snapshot interval must not be negative");
        }
        if (mtu < 576 || mtu > 65504 || mtu % 32 != 0) {
            throw new IllegalArgumentException("mtu must be a multiple of 32 in 576 .. 65504, got " + mtu);
        }
        if (heartbeatTimeout.compareTo(Duration.ofMillis(500)) < 0 || heartbeatTimeout.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("heartbeat timeout must be 500 ms .. 1 min, got " + heartbeatTimeout);
        }
    }

    /** Settings with the defaults: a snapshot every 10 minutes, a leader presumed lost after 2 s of silence. */
    public static ClusterSettings of(int nodeId, List<String> hosts, int basePort, Path directory) {
        return new ClusterSettings(nodeId, hosts, basePort, directory, Duration.ofMinutes(10), Duration.ofSeconds(2),
            MTU_DEFAULT);
    }

    public ClusterSettings withSnapshotInterval(Duration interval) {
        return new ClusterSettings(nodeId, hosts, basePort, directory, interval, heartbeatTimeout, mtu);
    }

    public ClusterSettings withHeartbeatTimeout(Duration timeout) {
        return new ClusterSettings(nodeId, hosts, basePort, directory, snapshotInterval, timeout, mtu);
    }

    /** The channel parameters every member and client stream uses: the term length and the MTU. */
    String streamParameters() {
        return "term-length=" + ClusterProtocol.TERM_LENGTH + "|mtu=" + mtu;
    }

    int port(int member, int offset) {
        return basePort + member * PORTS_PER_MEMBER + offset;
    }

    String endpoint(int member, int offset) {
        return hosts.get(member) + ":" + port(member, offset);
    }

    String host() {
        return hosts.get(nodeId);
    }

    /** Aeron's member list: {@code id,ingress,consensus,log,catchup,archive|…}. */
    String clusterMembers() {
        StringBuilder members = new StringBuilder();
        for (int i = 0; i < hosts.size(); i++) {
            if (i > 0) {
                members.append('|');
            }
            members.append(i).append(',').append(endpoint(i, INGRESS)).append(',').append(endpoint(i, CONSENSUS))
                .append(',').append(endpoint(i, LOG)).append(',').append(endpoint(i, CATCHUP)).append(',')
                .append(endpoint(i, ARCHIVE_CONTROL));
        }
        return members.toString();
    }

    /** Clients' list of ingress endpoints: {@code 0=host:port,1=host:port,…}. */
    String ingressEndpoints() {
        StringBuilder endpoints = new StringBuilder();
        for (int i = 0; i < hosts.size(); i++) {
            if (i > 0) {
                endpoints.append(',');
            }
            endpoints.append(i).append('=').append(endpoint(i, INGRESS));
        }
        return endpoints.toString();
    }
}
