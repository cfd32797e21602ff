import BallastCore
import BallastData

/// `ballast-bench csv PATH [REPEATS] [nsl-kdd|csv|csv-header] [digest]`: seconds to load a file into a
/// typed Table, best of REPEATS, and the process's peak RSS (`csv`: no header row; `csv-header`: the
/// first row names the columns). With `digest`, also a SHA-256 of everything read (column names,
/// every number's bit pattern, category codes and names, labels), computed after the timing: two
/// builds whose digests agree parsed the file identically.
func benchCSV(_ arguments: [String]) throws {
    guard let path = arguments.first else { throw BenchError("usage: ballast-bench csv PATH [REPEATS] [nsl-kdd|csv|csv-header]") }
    let repeats = arguments.count > 1 ? Int(arguments[1]) ?? 5 : 5
    let format = arguments.count > 2 ? arguments[2] : "csv"
    var best = Double.infinity
    var rows = 0, columns = 0
    var digest: String?
    for _ in 0..<max(1, repeats) {
        let t = try seconds {
            if format == "nsl-kdd" {
                let data = try NSLKDD.load(path: path)
                rows = data.rowCount
                columns = data.features.columns.count
                if arguments.count > 3 && arguments[3] == "digest" {
                    digest = tableDigest([data.features, data.metadata], labels: data.labels, classNames: data.classNames)
                }
            } else {
                let table = try CSVReader.read(contentsOf: path, options: format == "csv-header" ? CSVOptions() : CSVOptions(header: .absent)).table
                rows = table.rowCount
                columns = table.columns.count
                if arguments.count > 3 && arguments[3] == "digest" { digest = tableDigest([table], labels: [], classNames: []) }
            }
        }
        best = min(best, t)
    }
    var fields: [String: Any] = ["benchmark": "csv", "format": format, "seconds": best, "rows": rows, "columns": columns,
                                 "peak_rss_bytes": ProcessMemory.peakResidentBytes()]
    if let digest { fields["digest"] = digest }
    report(fields)
}

/// SHA-256 of tables, labels and class names, bit for bit.
private func tableDigest(_ tables: [Table], labels: [Int], classNames: [String]) -> String {
    var hash = SHA256()
    func text(_ s: String) { hash.update(Array(s.utf8) + [0]) }
    for table in tables {
        for column in table.columns {
            text(column.name)
            switch column.values {
            case .numeric(let values):
                text("numeric")
                values.withUnsafeBytes { hash.update($0) }
            case .categorical(let codes, let categories):
                text("categorical")
                codes.withUnsafeBytes { hash.update($0) }
                categories.forEach(text)
            }
        }
    }
    labels.withUnsafeBytes { hash.update($0) }
    classNames.forEach(text)
    return SHA256.hex(hash.finalize())
}
