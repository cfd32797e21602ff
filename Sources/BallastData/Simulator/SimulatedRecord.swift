import BallastCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Positions of the numeric features in ``NSLKDDSchema/featureNames``.
private enum F {
    static let duration = 0, srcBytes = 4, dstBytes = 5, land = 6, wrongFragment = 7, urgent = 8, hot = 9
    static let failedLogins = 10, loggedIn = 11, compromised = 12, rootShell = 13, suAttempted = 14, numRoot = 15
    static let fileCreations = 16, shells = 17, accessFiles = 18, guestLogin = 21
    static let count = 22, srvCount = 23, serror = 24, srvSerror = 25, rerror = 26, srvRerror = 27
    static let sameSrv = 28, diffSrv = 29, srvDiffHost = 30, hostCount = 31, hostSrvCount = 32
    static let hostSameSrv = 33, hostDiffSrv = 34, hostSameSrcPort = 35, hostSrvDiffHost = 36
    static let hostSerror = 37, hostSrvSerror = 38, hostRerror = 39, hostSrvRerror = 40
    static let rates = [serror, srvSerror, rerror, srvRerror, sameSrv, diffSrv, srvDiffHost, hostSameSrv,
                        hostDiffSrv, hostSameSrcPort, hostSrvDiffHost, hostSerror, hostSrvSerror, hostRerror, hostSrvRerror]
}

/// One record being drawn by ``TrafficSimulator``: class profiles write the features, ``finish()``
/// makes counters integral and rates two-decimal values in [0, 1].
struct SimulatedRecord {
    var values = [Double](repeating: 0, count: 41)
    var protocolName = "tcp"
    var service = "http"
    var flag = "SF"
    var attack = "normal"

    mutating func reset() {
        for i in values.indices { values[i] = 0 }
        protocolName = "tcp"; service = "http"; flag = "SF"; attack = "normal"
    }

    /// Rounds counters, clamps them to NSL-KDD's ranges and rounds rates to two decimals.
    mutating func finish() {
        for i in values.indices { values[i] = max(0, values[i].rounded()) }
        for i in F.rates { values[i] = 0 }
        values[F.count] = min(max(values[F.count], 1), 511)
        values[F.srvCount] = min(max(values[F.srvCount], 1), 511)
        values[F.hostCount] = min(max(values[F.hostCount], 1), 255)
        values[F.hostSrvCount] = min(max(values[F.hostSrvCount], 1), 255)
        values[F.duration] = min(values[F.duration], 58_329)
        values[F.srcBytes] = min(values[F.srcBytes], 1_379_963_888)
        values[F.dstBytes] = min(values[F.dstBytes], 1_309_937_401)
        for (i, r) in pendingRates.enumerated() where i < F.rates.count {
            values[F.rates[i]] = (min(max(r, 0), 1) * 100).rounded() / 100
        }
    }

    /// Rates in ``F/rates`` order, written by the profiles before ``finish()``.
    private var pendingRates = [Double](repeating: 0, count: 15)

    private mutating func setRate(_ feature: Int, _ value: Double) {
        if let i = F.rates.firstIndex(of: feature) { pendingRates[i] = value }
    }

    private mutating func clearRates() { for i in pendingRates.indices { pendingRates[i] = 0 } }

    // MARK: Normal

    private static let normalServices: [(String, Double)] = [
        ("http", 40), ("domain_u", 9), ("smtp", 9), ("ftp_data", 10), ("other", 4), ("private", 3), ("ecr_i", 1.5),
        ("ntp_u", 1), ("eco_i", 0.5), ("telnet", 2), ("ftp", 3), ("finger", 1), ("urp_i", 0.6), ("pop_3", 1),
        ("auth", 1), ("IRC", 0.5), ("X11", 0.3), ("imap4", 0.3), ("tim_i", 0.1), ("ssh", 0.3), ("domain", 0.3),
        ("http_443", 0.2), ("time", 0.2), ("tftp_u", 0.05),
    ]
    private static let normalServiceWeights = normalServices.map(\.1)

    /// Ordinary traffic. `services` restricts the service (R2L/U2R reuse this profile).
    mutating func drawNormal(using rng: inout some RandomNumberGenerator, services: [String]? = nil) {
        if services == nil && rng.chance(0.015) {
            // Failed-connection bursts and misconfigured clients: Normal traffic that looks like an attack.
            if rng.chance(0.5) { drawDoS(using: &rng) } else { drawProbe(using: &rng) }
            attack = "normal"
            return
        }
        clearRates()
        if let services, !services.isEmpty {
            service = services[rng.nextInt(below: services.count)]
        } else {
            service = Self.normalServices[rng.weightedChoice(Self.normalServiceWeights) ?? 0].0
        }
        switch service {
        case "eco_i", "ecr_i", "urp_i", "tim_i": protocolName = "icmp"
        case "domain_u", "ntp_u", "tftp_u": protocolName = "udp"
        case "other", "private": protocolName = rng.chance(0.7) ? "udp" : "tcp"
        default: protocolName = "tcp"
        }
        let tcp = protocolName == "tcp"
        flag = "SF"
        let failed = tcp && rng.chance(0.045)
        if failed {
            flag = ["REJ", "S0", "RSTO", "RSTR", "S1", "SH"][rng.weightedChoice([40, 20, 15, 15, 8, 2]) ?? 0]
        }
        if tcp && rng.chance(0.12) { values[F.duration] = rng.logNormal(3, 2) }
        let (srcMu, srcSigma, dstMu, dstSigma, dstZero): (Double, Double, Double, Double, Double) = switch service {
        case "http": (log(230), 0.4, log(2500), 1.2, 0.05)
        case "smtp": (log(1100), 0.8, log(330), 0.3, 0.05)
        case "ftp_data": (log(1500), 2.0, log(2000), 2.0, 0.6)
        case "ftp": (log(350), 1.0, log(800), 1.0, 0.1)
        case "telnet": (log(300), 1.2, log(2000), 1.5, 0.1)
        case "domain_u": (log(44), 0.15, log(100), 0.3, 0)
        case "ntp_u": (log(48), 0.01, log(48), 0.01, 0)
        case "eco_i", "ecr_i", "urp_i", "tim_i": (log(30), 1.5, 0, 0, 1)
        default: (log(150), 1.5, log(400), 1.5, 0.3)
        }
        if !failed {
            values[F.srcBytes] = rng.logNormal(srcMu, srcSigma)
            values[F.dstBytes] = rng.chance(dstZero) ? 0 : rng.logNormal(dstMu, dstSigma)
        }
        let session = ["http", "smtp", "ftp", "ftp_data", "telnet", "pop_3", "imap4", "ssh", "X11", "IRC", "finger", "auth"]
        if tcp && !failed && session.contains(service) && rng.chance(0.97) { values[F.loggedIn] = 1 }
        if rng.chance(0.04) { values[F.hot] = Double(rng.int(1, 3)) }
        if (service == "telnet" || service == "ftp") && rng.chance(0.02) { values[F.failedLogins] = 1 }
        if rng.chance(0.005) { values[F.compromised] = Double(rng.int(1, 3)) }
        if rng.chance(0.002) { values[F.rootShell] = 1 }
        if rng.chance(0.001) { values[F.suAttempted] = 1 }
        if rng.chance(0.008) { values[F.numRoot] = Double(rng.int(1, 5)) }
        if rng.chance(0.008) { values[F.fileCreations] = Double(rng.int(1, 3)) }
        if rng.chance(0.004) { values[F.accessFiles] = 1 }
        if service.hasPrefix("ftp") && rng.chance(0.03) { values[F.guestLogin] = 1 }
        let count = 1 + rng.logNormal(1.0, 1.1)
        values[F.count] = count
        values[F.srvCount] = rng.chance(0.5) ? count : Double(rng.int(1, Int(count) + 5))
        setRate(F.serror, flag == "S0" ? 1 - 0.2 * rng.nextUniform() : (rng.chance(0.96) ? 0 : 0.3 * rng.nextUniform()))
        setRate(F.srvSerror, pendingRates[0] + 0.05 * rng.nextNormal())
        setRate(F.rerror, flag == "REJ" ? 1 - 0.3 * rng.nextUniform() : (rng.chance(0.95) ? 0 : 0.3 * rng.nextUniform()))
        setRate(F.srvRerror, pendingRates[2] + 0.05 * rng.nextNormal())
        setRate(F.sameSrv, rng.chance(0.75) ? 1 : 0.5 + 0.5 * rng.nextUniform())
        setRate(F.diffSrv, rng.chance(0.7) ? 0 : 0.2 * rng.nextUniform())
        setRate(F.srvDiffHost, rng.chance(0.6) ? 0 : 0.5 * rng.nextUniform())
        let hostCount = rng.chance(0.45) ? 255 : Double(rng.int(1, 255))
        values[F.hostCount] = hostCount
        values[F.hostSrvCount] = rng.chance(0.5) ? 255 : Double(rng.int(1, 255))
        setRate(F.hostSameSrv, rng.chance(0.5) ? 1 : min(1, values[F.hostSrvCount] / hostCount) * (0.7 + 0.3 * rng.nextUniform()))
        setRate(F.hostDiffSrv, rng.chance(0.6) ? 0 : 0.1 * rng.nextUniform())
        setRate(F.hostSameSrcPort, rng.chance(0.5) ? 0 : 0.3 * rng.nextUniform())
        setRate(F.hostSrvDiffHost, rng.chance(0.6) ? 0 : 0.1 * rng.nextUniform())
        setRate(F.hostSerror, pendingRates[0] * (0.5 + 0.5 * rng.nextUniform()))
        setRate(F.hostSrvSerror, pendingRates[0] * (0.5 + 0.5 * rng.nextUniform()))
        setRate(F.hostRerror, pendingRates[2] * (0.5 + 0.5 * rng.nextUniform()))
        setRate(F.hostSrvRerror, pendingRates[2] * (0.5 + 0.5 * rng.nextUniform()))
    }

    // MARK: DoS

    /// Floods: neptune (SYN flood), smurf (ICMP echo replies), back (huge HTTP requests), teardrop and
    /// pod (malformed fragments), land (same source and destination).
    mutating func drawDoS(using rng: inout some RandomNumberGenerator) {
        let names = ["neptune", "smurf", "back", "teardrop", "pod", "land"]
        let name = names[rng.weightedChoice([78, 6, 7, 6, 2.5, 0.5]) ?? 0]
        if rng.chance(0.02) {
            // Low-rate floods that blend in with ordinary traffic.
            drawNormal(using: &rng, services: ["http", "private", "other", "smtp"])
            attack = name
            return
        }
        clearRates()
        attack = name
        switch attack {
        case "neptune", "land":
            protocolName = "tcp"
            service = rng.chance(0.45) ? "private" : NSLKDDSchema.services[rng.nextInt(below: 60)]
            flag = attack == "land" ? "S0" : ["S0", "REJ", "RSTO", "SH"][rng.weightedChoice([86, 11, 2, 1]) ?? 0]
            if attack == "land" { values[F.land] = 1 }
            let count = attack == "land" ? Double(rng.int(1, 2)) : min(511, 60 + rng.logNormal(log(150), 0.6))
            values[F.count] = count
            values[F.srvCount] = Double(rng.int(1, 30))
            let s: Double = flag == "S0" ? (rng.chance(0.8) ? 1 : 0.9 + 0.1 * rng.nextUniform()) : 0
            let r: Double = flag == "REJ" ? (rng.chance(0.8) ? 1 : 0.85 + 0.15 * rng.nextUniform()) : 0
            setRate(F.serror, s); setRate(F.srvSerror, s)
            setRate(F.rerror, r); setRate(F.srvRerror, r)
            setRate(F.sameSrv, 0.12 * rng.nextUniform())
            setRate(F.diffSrv, 0.04 + 0.05 * rng.nextUniform())
            values[F.hostCount] = rng.chance(0.85) ? 255 : Double(rng.int(50, 255))
            values[F.hostSrvCount] = Double(rng.int(1, 30))
            setRate(F.hostSameSrv, values[F.hostSrvCount] / 255 + 0.02 * rng.nextUniform())
            setRate(F.hostDiffSrv, 0.05 + 0.03 * rng.nextUniform())
            setRate(F.hostSerror, s); setRate(F.hostSrvSerror, s)
            setRate(F.hostRerror, r); setRate(F.hostSrvRerror, r)
        case "smurf", "pod":
            protocolName = "icmp"; service = "ecr_i"
            if attack == "smurf" {
                values[F.srcBytes] = rng.chance(0.6) ? 1032 : 520
                values[F.count] = rng.chance(0.6) ? 511 : Double(rng.int(100, 511))
            } else {
                values[F.srcBytes] = 1480
                values[F.wrongFragment] = 1
                values[F.count] = Double(rng.int(1, 4))
            }
            values[F.srvCount] = values[F.count]
            setRate(F.sameSrv, 1)
            values[F.hostCount] = rng.chance(0.8) ? 255 : Double(rng.int(1, 255))
            values[F.hostSrvCount] = values[F.hostCount]
            setRate(F.hostSameSrv, 1)
            setRate(F.hostSameSrcPort, rng.chance(0.7) ? 1 : rng.nextUniform())
        case "back":
            protocolName = "tcp"; service = "http"; flag = rng.chance(0.9) ? "SF" : "RSTR"
            values[F.srcBytes] = rng.chance(0.8) ? 54_540 : rng.logNormal(log(54_540), 0.05)
            values[F.dstBytes] = rng.logNormal(log(8314), 0.3)
            values[F.hot] = 2
            values[F.loggedIn] = 1
            if rng.chance(0.8) { values[F.compromised] = 1 }
            values[F.count] = Double(rng.int(1, 20))
            values[F.srvCount] = values[F.count]
            setRate(F.sameSrv, 1)
            values[F.hostCount] = Double(rng.int(20, 255))
            values[F.hostSrvCount] = Double(rng.int(100, 255))
            setRate(F.hostSameSrv, 1)
            setRate(F.hostSameSrcPort, 0.1 * rng.nextUniform())
        default:  // teardrop
            protocolName = "udp"; service = "private"
            values[F.srcBytes] = 28
            values[F.wrongFragment] = 3
            values[F.count] = Double(rng.int(1, 120))
            values[F.srvCount] = values[F.count]
            setRate(F.sameSrv, 1)
            values[F.hostCount] = Double(rng.int(1, 255))
            values[F.hostSrvCount] = Double(rng.int(1, 255))
            setRate(F.hostSameSrv, rng.nextUniform())
            setRate(F.hostSameSrcPort, rng.nextUniform())
        }
    }

    // MARK: Probe

    /// Scans: satan, ipsweep, portsweep, nmap; a fifth are stealthy, Normal-looking connections.
    mutating func drawProbe(using rng: inout some RandomNumberGenerator) {
        let names = ["satan", "ipsweep", "portsweep", "nmap"]
        let name = names[rng.weightedChoice([31, 31, 25, 13]) ?? 0]
        if rng.chance(0.2) {
            drawNormal(using: &rng, services: ["http", "other", "private", "eco_i", "ftp_data", "smtp", "domain_u"])
            attack = name
            setRate(F.hostDiffSrv, 0.1 + 0.4 * rng.nextUniform())
            return
        }
        clearRates()
        attack = name
        switch name {
        case "satan":
            protocolName = rng.chance(0.9) ? "tcp" : "udp"
            service = NSLKDDSchema.services[rng.nextInt(below: 70)]
            flag = protocolName == "udp" ? "SF" : ["REJ", "S0", "SF", "RSTO", "RSTOS0", "RSTR"][rng.weightedChoice([40, 15, 30, 10, 3, 2]) ?? 0]
            if flag == "SF" { values[F.srcBytes] = Double(rng.int(0, 300)); values[F.dstBytes] = Double(rng.int(0, 500)) }
            values[F.count] = rng.logNormal(log(20), 1.5)
            values[F.srvCount] = Double(rng.int(1, 10))
            let r = flag == "REJ" ? 0.5 + 0.5 * rng.nextUniform() : 0.3 * rng.nextUniform()
            setRate(F.rerror, r); setRate(F.srvRerror, r + 0.1 * rng.nextNormal())
            setRate(F.serror, flag == "S0" ? 0.5 + 0.5 * rng.nextUniform() : 0)
            setRate(F.sameSrv, 0.3 * rng.nextUniform())
            setRate(F.diffSrv, 0.5 + 0.5 * rng.nextUniform())
            values[F.hostCount] = rng.chance(0.6) ? 255 : Double(rng.int(1, 255))
            values[F.hostSrvCount] = Double(rng.int(1, 20))
            setRate(F.hostSameSrv, 0.1 * rng.nextUniform())
            setRate(F.hostDiffSrv, 0.3 + 0.7 * rng.nextUniform())
            setRate(F.hostRerror, r); setRate(F.hostSrvRerror, r)
        case "ipsweep":
            protocolName = "icmp"; service = rng.chance(0.9) ? "eco_i" : "ecr_i"
            values[F.srcBytes] = rng.chance(0.7) ? 8 : 18
            values[F.count] = Double(rng.int(1, 2))
            values[F.srvCount] = Double(rng.int(1, 40))
            setRate(F.sameSrv, 1)
            setRate(F.srvDiffHost, rng.chance(0.5) ? 1 : rng.nextUniform())
            values[F.hostCount] = Double(rng.int(1, 100))
            values[F.hostSrvCount] = Double(rng.int(1, 100))
            setRate(F.hostSameSrv, 1)
            setRate(F.hostSameSrcPort, rng.chance(0.7) ? 1 : rng.nextUniform())
            setRate(F.hostSrvDiffHost, 0.2 + 0.8 * rng.nextUniform())
        case "portsweep":
            protocolName = "tcp"; service = rng.chance(0.8) ? "private" : NSLKDDSchema.services[rng.nextInt(below: 40)]
            flag = ["RSTR", "REJ", "RSTOS0", "SF", "S0"][rng.weightedChoice([40, 35, 10, 10, 5]) ?? 0]
            if rng.chance(0.1) { values[F.duration] = rng.logNormal(9, 1) }
            values[F.count] = Double(rng.int(1, 5))
            values[F.srvCount] = Double(rng.int(1, 5))
            let r = flag == "REJ" || flag == "RSTR" ? 0.8 + 0.2 * rng.nextUniform() : 0
            setRate(F.rerror, r); setRate(F.srvRerror, r)
            setRate(F.sameSrv, rng.nextUniform())
            setRate(F.diffSrv, rng.nextUniform())
            values[F.hostCount] = Double(rng.int(1, 255))
            values[F.hostSrvCount] = Double(rng.int(1, 10))
            setRate(F.hostSameSrv, 0.2 * rng.nextUniform())
            setRate(F.hostDiffSrv, 0.2 + 0.6 * rng.nextUniform())
            setRate(F.hostSameSrcPort, rng.chance(0.7) ? 1 : rng.nextUniform())
            setRate(F.hostRerror, r); setRate(F.hostSrvRerror, r)
        default:  // nmap
            protocolName = ["icmp", "tcp", "udp"][rng.weightedChoice([45, 40, 15]) ?? 0]
            service = protocolName == "icmp" ? "eco_i" : (rng.chance(0.7) ? "private" : "other")
            flag = protocolName == "tcp" ? ["SF", "S0", "REJ", "RSTR"][rng.weightedChoice([40, 30, 20, 10]) ?? 0] : "SF"
            values[F.srcBytes] = Double(rng.int(0, 60))
            values[F.count] = Double(rng.int(1, 3))
            values[F.srvCount] = Double(rng.int(1, 3))
            setRate(F.sameSrv, rng.chance(0.7) ? 1 : rng.nextUniform())
            values[F.hostCount] = Double(rng.int(1, 255))
            values[F.hostSrvCount] = Double(rng.int(1, 50))
            setRate(F.hostSameSrv, rng.nextUniform())
            setRate(F.hostDiffSrv, 0.3 * rng.nextUniform())
            setRate(F.hostSameSrcPort, rng.chance(0.6) ? 1 : rng.nextUniform())
            setRate(F.hostSerror, flag == "S0" ? 0.5 * rng.nextUniform() : 0)
        }
    }

    // MARK: R2L

    /// Remote-to-local attacks: ordinary-looking sessions on the services Normal uses, told apart
    /// only sometimes by hot indicators, failed or guest logins and long durations.
    mutating func drawR2L(using rng: inout some RandomNumberGenerator) {
        let names = ["warezclient", "guess_passwd", "warezmaster", "imap", "ftp_write", "multihop", "phf", "spy"]
        let name = names[rng.weightedChoice([86, 5, 2.5, 1.5, 1.5, 1.5, 1, 1]) ?? 0]
        let services: [String] = switch name {
        case "warezclient": ["ftp_data", "ftp_data", "ftp"]
        case "warezmaster", "ftp_write": ["ftp", "ftp_data"]
        case "guess_passwd", "spy", "multihop": ["telnet"]
        case "imap": ["imap4"]
        default: ["http"]
        }
        drawNormal(using: &rng, services: services)
        attack = name
        if rng.chance(0.2) { return }  // indistinguishable from a normal session
        switch name {
        case "guess_passwd":
            values[F.failedLogins] = rng.chance(0.85) ? 1 : 0
            values[F.loggedIn] = 0
            values[F.srcBytes] = rng.logNormal(log(125), 0.1)
            values[F.dstBytes] = rng.logNormal(log(180), 0.2)
            values[F.duration] = Double(rng.int(1, 5))
        case "phf":
            values[F.hot] = Double(rng.int(1, 2))
            values[F.srcBytes] = rng.logNormal(log(60), 0.3)
        case "imap":
            flag = rng.chance(0.5) ? "SF" : "SH"
            values[F.srcBytes] = rng.logNormal(log(1500), 1.5)
        default:
            if rng.chance(0.5) { values[F.duration] = rng.logNormal(5, 1.5) }
            if rng.chance(0.5) { values[F.hot] = Double(rng.int(1, 28)) }
            if service.hasPrefix("ftp") && rng.chance(0.4) { values[F.guestLogin] = 1 }
            if rng.chance(0.4) { values[F.srcBytes] = rng.logNormal(log(20_000), 2) }
            if name == "multihop" || name == "spy" { values[F.duration] = rng.logNormal(7, 1.5) }
        }
    }

    // MARK: U2R

    /// User-to-root attacks: sessions like R2L and Normal that only sometimes show a root shell, file
    /// creations, hot indicators and longer durations.
    mutating func drawU2R(using rng: inout some RandomNumberGenerator) {
        let names = ["buffer_overflow", "rootkit", "loadmodule", "perl"]
        let name = names[rng.weightedChoice([58, 19, 17, 6]) ?? 0]
        drawNormal(using: &rng, services: ["telnet", "telnet", "telnet", "ftp_data", "ftp"])
        attack = name
        if rng.chance(0.15) { return }  // indistinguishable from a normal session
        let strength = name == "rootkit" ? 0.5 : 1.0
        if rng.chance(0.7) { values[F.duration] = rng.logNormal(4.5, 1.5) }
        if rng.chance(0.6 * strength) { values[F.hot] = Double(rng.int(1, 6)) }
        if rng.chance((name == "perl" ? 0.8 : 0.55) * strength) { values[F.rootShell] = 1 }
        if rng.chance(0.5 * strength) { values[F.fileCreations] = Double(rng.int(1, 4)) }
        if rng.chance(0.3 * strength) { values[F.numRoot] = Double(rng.int(1, 5)) }
        if rng.chance(0.5 * strength) { values[F.compromised] = Double(rng.int(1, 3)) }
        if rng.chance(0.1 * strength) { values[F.shells] = 1 }
        if rng.chance(0.2 * strength) { values[F.accessFiles] = 1 }
        values[F.loggedIn] = 1
    }
}

extension RandomNumberGenerator {
    /// `true` with probability `p`.
    fileprivate mutating func chance(_ p: Double) -> Bool { nextUniform() < p }

    /// `exp(N(mu, sigma))`.
    fileprivate mutating func logNormal(_ mu: Double, _ sigma: Double) -> Double { exp(nextNormal(mean: mu, standardDeviation: sigma)) }

    /// A uniform integer in `lo...hi`.
    fileprivate mutating func int(_ lo: Int, _ hi: Int) -> Int { lo + nextInt(below: max(1, hi - lo + 1)) }
}
