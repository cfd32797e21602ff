import BallastCore
import BallastData
import Foundation

/// `ballast-bench simulate ROWS SEED OUT`: writes ROWS simulated records in NSL-KDD's file format
/// (41 features, the attack name, a difficulty of 21; no header) for the scale benchmark.
///
/// Records are generated in blocks of 100,000 (block `b` seeded with `SEED + b`), so the file can
/// hold millions of rows with bounded memory; each block has the simulator's class mix. The file is
/// written through a temporary file and renamed at the end.
func benchSimulate(_ arguments: [String]) throws {
    guard arguments.count == 3, let rows = Int(arguments[0]), rows > 0, let seed = UInt64(arguments[1]) else {
        throw BenchError("usage: ballast-bench simulate ROWS SEED OUT")
    }
    let out = arguments[2]
    let temporary = out + ".partial"
    guard FileManager.default.createFile(atPath: temporary, contents: nil), let handle = FileHandle(forWritingAtPath: temporary) else {
        throw BenchError("cannot write \(temporary)")
    }
    let block = 100_000
    var written = 0, blockIndex: UInt64 = 0
    let t = try seconds {
        while written < rows {
            let n = min(block, rows - written)
            var rng = Xoshiro256StarStar(seed: seed &+ blockIndex)
            let data = try TrafficSimulator(rowCount: n).generate(using: &rng)
            try handle.write(contentsOf: Data(nslKDDText(data).utf8))
            written += n
            blockIndex += 1
        }
    }
    try handle.close()
    guard rename(temporary, out) == 0 else { throw BenchError("cannot rename \(temporary) to \(out)") }
    let bytes = (try? FileManager.default.attributesOfItem(atPath: out)[.size] as? Int) ?? 0
    report(["benchmark": "simulate", "rows": rows, "seconds": t, "bytes": bytes, "path": out])
}

/// The records of `data` as NSL-KDD lines.
private func nslKDDText(_ data: LabeledTable) -> String {
    var text = ""
    text.reserveCapacity(data.rowCount * 160)
    let columns = data.features.columns + data.metadata.columns.filter { $0.name == "attack" }
    for r in 0..<data.rowCount {
        for column in columns {
            switch column.values {
            case .numeric(let v): text += CSVWriter.number(v[r])
            case let .categorical(codes, categories): text += codes[r] < 0 ? "" : categories[Int(codes[r])]
            }
            text += ","
        }
        text += "21\n"
    }
    return text
}
