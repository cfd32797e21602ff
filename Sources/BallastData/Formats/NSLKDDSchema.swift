/// The NSL-KDD schema (Tavallaee et al., 2009): feature names, symbolic columns, and the mapping of
/// attack names to the five classes used in the literature.
///
/// Shared by the NSL-KDD loader and the traffic simulator, which generates records in this schema.
public enum NSLKDDSchema {
    /// The 41 feature names, in file order.
    public static let featureNames: [String] = [
        "duration", "protocol_type", "service", "flag", "src_bytes", "dst_bytes", "land",
        "wrong_fragment", "urgent", "hot", "num_failed_logins", "logged_in", "num_compromised",
        "root_shell", "su_attempted", "num_root", "num_file_creations", "num_shells",
        "num_access_files", "num_outbound_cmds", "is_host_login", "is_guest_login", "count",
        "srv_count", "serror_rate", "srv_serror_rate", "rerror_rate", "srv_rerror_rate",
        "same_srv_rate", "diff_srv_rate", "srv_diff_host_rate", "dst_host_count",
        "dst_host_srv_count", "dst_host_same_srv_rate", "dst_host_diff_srv_rate",
        "dst_host_same_src_port_rate", "dst_host_srv_diff_host_rate", "dst_host_serror_rate",
        "dst_host_srv_serror_rate", "dst_host_rerror_rate", "dst_host_srv_rerror_rate",
    ]

    /// The symbolic (categorical) features.
    public static let symbolicFeatures: Set<String> = ["protocol_type", "service", "flag"]

    /// Features that only take the values 0 and 1.
    public static let binaryFeatures: Set<String> = ["land", "logged_in", "root_shell", "is_host_login", "is_guest_login"]

    /// Number of fields in a record: 41 features, the attack name and the difficulty score.
    public static let fieldCount = 43

    /// Number of fields in a KDD Cup 99 record: 41 features and the attack name (ending in `.`).
    public static let kdd99FieldCount = 42

    /// The five classes, in label order.
    public static let fiveClassNames = ["Normal", "DoS", "Probe", "R2L", "U2R"]

    /// The two classes of the binary task, in label order.
    public static let binaryClassNames = ["normal", "attack"]

    /// Attack name → five-class category, including the attacks that occur only in KDDTest+.
    public static let categoryOfAttack: [String: String] = {
        var map = ["normal": "Normal"]
        let groups: [(String, [String])] = [
            ("DoS", ["apache2", "back", "land", "mailbomb", "neptune", "pod", "processtable", "smurf",
                     "teardrop", "udpstorm", "worm"]),
            ("Probe", ["ipsweep", "mscan", "nmap", "portsweep", "saint", "satan"]),
            ("R2L", ["ftp_write", "guess_passwd", "imap", "multihop", "named", "phf", "sendmail",
                     "snmpgetattack", "snmpguess", "spy", "warezclient", "warezmaster", "xlock", "xsnoop"]),
            ("U2R", ["buffer_overflow", "httptunnel", "loadmodule", "perl", "ps", "rootkit", "sqlattack", "xterm"]),
        ]
        for (category, names) in groups {
            for n in names { map[n] = category }
        }
        return map
    }()

    /// Attack names that occur in KDDTrain+ (the others appear only in the test sets).
    public static let trainingAttackNames: Set<String> = [
        "normal", "back", "land", "neptune", "pod", "smurf", "teardrop", "ipsweep", "nmap", "portsweep",
        "satan", "ftp_write", "guess_passwd", "imap", "multihop", "phf", "spy", "warezclient",
        "warezmaster", "buffer_overflow", "loadmodule", "perl", "rootkit",
    ]

    /// The values of `protocol_type` in KDDTrain+.
    public static let protocols = ["tcp", "udp", "icmp"]

    /// The values of `flag` in KDDTrain+.
    public static let flags = ["SF", "S0", "REJ", "RSTR", "SH", "RSTO", "S1", "RSTOS0", "S3", "S2", "OTH"]

    /// The 70 values of `service` in KDDTrain+, most frequent first.
    public static let services: [String] = [
        "http", "private", "domain_u", "smtp", "ftp_data", "eco_i", "other", "ecr_i", "telnet", "finger",
        "ftp", "auth", "Z39_50", "uucp", "courier", "bgp", "whois", "uucp_path", "iso_tsap", "time",
        "imap4", "nnsp", "vmnet", "urp_i", "domain", "ctf", "csnet_ns", "supdup", "discard", "http_443",
        "daytime", "gopher", "efs", "systat", "link", "exec", "hostnames", "name", "mtp", "echo", "klogin",
        "login", "ldap", "netbios_dgm", "sunrpc", "netbios_ssn", "netstat", "netbios_ns", "ssh", "kshell",
        "nntp", "pop_3", "sql_net", "IRC", "ntp_u", "rje", "remote_job", "pop_2", "X11", "printer",
        "shell", "urh_i", "tim_i", "red_i", "pm_dump", "tftp_u", "http_8001", "harvest", "aol",
        "http_2784",
    ]
}
