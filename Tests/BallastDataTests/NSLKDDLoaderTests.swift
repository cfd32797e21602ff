import BallastData
import BallastTestSupport
import Foundation
import Testing

/// One NSL-KDD record with the given symbolic values and attack name.
private func record(_ proto: String = "tcp", _ service: String = "http", _ attack: String = "normal", bytes: Int = 181) -> String {
    var fields = ["0", proto, service, "SF", "\(bytes)", "5450"]
    fields += Array(repeating: "0", count: 35)
    fields += [attack, "20"]
    return fields.joined(separator: ",")
}

@Suite("NSL-KDD loader")
struct NSLKDDTests {
    @Test("Five-class, binary and attack-name labels; metadata kept out of the features")
    func labelModes() throws {
        let text = [record(), record("udp", "private", "neptune"), record("icmp", "ecr_i", "mscan"), record("tcp", "telnet", "rootkit")]
            .joined(separator: "\n") + "\n"
        let bytes = Array(text.utf8)
        let five = try NSLKDD.load(bytes: bytes, name: "mini.txt")
        #expect(five.classNames == ["Normal", "DoS", "Probe", "R2L", "U2R"])
        #expect(five.labels == [0, 1, 2, 4])
        #expect(five.features.columnNames == NSLKDDSchema.featureNames)
        #expect(five.metadata.columnNames == ["attack", "difficulty"])
        let binary = try NSLKDD.load(bytes: bytes, name: "mini.txt", labelMode: .binary)
        #expect(binary.labels == [0, 1, 1, 1])
        let names = try NSLKDD.load(bytes: bytes, name: "mini.txt", labelMode: .attackName)
        #expect(names.classNames == ["mscan", "neptune", "normal", "rootkit"])
        if case .categorical(_, let cats) = five.features.column(named: "service")?.values {
            #expect(cats == ["http", "private", "ecr_i", "telnet"])
        } else { Issue.record("service must be categorical") }
    }

    @Test("Unknown attack names and wrong field counts are errors naming the record")
    func errors() {
        let unknown = Array((record() + "\n" + record("tcp", "http", "zeroday") + "\n").utf8)
        do {
            _ = try NSLKDD.load(bytes: unknown, name: "x.txt")
            Issue.record("expected an error")
        } catch let e as DataError {
            #expect(e.description.contains("record 2") && e.description.contains("zeroday"))
        } catch { Issue.record("\(error)") }
        let short = Array("1,tcp,http\n".utf8)
        #expect(throws: DataError.self) { try NSLKDD.load(bytes: short, name: "s.txt") }
    }

    @Test("KDDTrain+ and KDDTest+ have the dataset README's class counts",
          .enabled(if: SharedData.hasNSLKDD("KDDTrain+.txt", "KDDTest+.txt"), "NSL-KDD is absent from ../shared/datasets/nsl-kdd (see its README)"))
    func realCounts() throws {
        let train = try #require(SharedData.nslKDD(file: "KDDTrain+.txt")), test = try #require(SharedData.nslKDD(file: "KDDTest+.txt"))
        let t = try NSLKDD.load(path: train)
        #expect(t.rowCount == 125_973)
        #expect(t.classCounts == [67_343, 45_927, 11_656, 995, 52])
        let s = try NSLKDD.load(path: test)
        #expect(s.classCounts == [9_711, 7_460, 2_421, 2_752, 200])
        #expect(try DatasetFormat.detect(path: train) == .nslKDD)
    }
}

@Suite("Flow CSV loader")
struct FlowCSVTests {
    private func write(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ballast-flow-\(UUID().uuidString).csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("Label column, identifier/address/timestamp columns dropped by rule and by option")
    func dropping() throws {
        let path = try write("""
            Flow ID,Src IP,dst_port,Timestamp,proto,bytes,note,Label
            1,10.0.0.1,80,2021-01-01 10:00:00,tcp,100,a,Benign
            2,10.0.0.2,443,2021-01-01 10:00:01,udp,2000,b,DDoS
            3,10.0.0.3,22,2021-01-01 10:00:02,tcp,50,c,Benign
            """)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try FlowCSV.load(path: path, label: "Label", drop: ["note"])
        #expect(r.data.features.columnNames == ["dst_port", "proto", "bytes"])
        #expect(Set(r.dropped.map(\.name)) == ["Flow ID", "Src IP", "Timestamp", "note"])
        #expect(r.data.classNames == ["Benign", "DDoS"])
        #expect(r.data.labels == [0, 1, 0])
        #expect(try DatasetFormat.detect(path: path) == .csv)
    }

    @Test("A missing label column lists the columns; a missing label names the line")
    func errors() throws {
        let path = try write("a,b,Label\n1,2,x\n3,4,\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try FlowCSV.load(path: path, label: "class")
            Issue.record("expected an error")
        } catch let e as DataError {
            #expect(e.kind == .missingColumn && e.description.contains("a, b, Label"))
        }
        do {
            _ = try FlowCSV.load(path: path, label: "Label")
            Issue.record("expected an error")
        } catch let e as DataError {
            #expect(e.kind == .badLabel && e.description.contains("line 3"))
        }
        #expect(throws: DataError.self) { try FlowCSV.load(path: path, label: "Label", drop: ["nope"]) }
    }
}
