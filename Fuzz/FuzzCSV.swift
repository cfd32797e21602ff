import BallastData

/// libFuzzer entry for ``CSVReader``: the first two bytes choose the options, the rest is the CSV.
/// Besides not crashing, a parallel (chunked) parse must give exactly the serial result or error.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size >= 2 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data + 2, count: size - 2))
    let delimiters: [UInt8] = [0x2C, 0x3B, 0x09, 0x7C]
    let header = CSVOptions.HeaderMode.allCases[Int(data[1] & 3) % 3]
    var options = CSVOptions(delimiter: delimiters[Int(data[0] & 3)], header: header,
                             nonFinite: data[1] & 4 == 0 ? .reject : .treatAsMissing)
    if data[1] & 8 != 0 { options.missingMarkers = ["", "null"] }
    options.parallelThreshold = Int.max
    let serial = Result { try CSVReader.read(bytes: bytes, name: "fuzz", options: options) }
    options.parallelThreshold = 1
    let parallel = Result { try CSVReader.read(bytes: bytes, name: "fuzz", options: options) }
    switch (serial, parallel) {
    case (.success(let a), .success(let b)):
        if !same(a, b) { fatalError("parallel parse differs from serial parse") }
        for column in a.table.columns where column.count != a.table.rowCount { fatalError("ragged table") }
    case (.failure(let a), .failure(let b)):
        if "\(a)" != "\(b)" { fatalError("parallel error differs: \(a) vs \(b)") }
    default:
        fatalError("parallel and serial parse disagree on success")
    }
    return 0
}

/// Equality that treats NaN as equal to NaN.
private func same(_ a: CSVReadResult, _ b: CSVReadResult) -> Bool {
    guard a.diagnostics == b.diagnostics, a.table.columnNames == b.table.columnNames else { return false }
    for (x, y) in zip(a.table.columns, b.table.columns) {
        switch (x.values, y.values) {
        case (.numeric(let u), .numeric(let v)):
            guard u.count == v.count else { return false }
            for (p, q) in zip(u, v) where !(p == q || (p.isNaN && q.isNaN)) { return false }
        case (.categorical, .categorical):
            if x != y { return false }
        default:
            return false
        }
    }
    return true
}
