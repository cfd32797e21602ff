import BallastData

/// libFuzzer entry for ``NSLKDD/load(bytes:name:labelMode:)``: the first byte chooses the label mode.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNSLKDD(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size >= 1 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let mode = NSLKDD.LabelMode.allCases[Int(data[0]) % NSLKDD.LabelMode.allCases.count]
    if let table = try? NSLKDD.load(bytes: bytes, name: "fuzz", labelMode: mode) {
        if table.features.columns.count != 41 || table.labels.contains(where: { $0 < 0 || $0 >= table.classNames.count }) {
            fatalError("inconsistent NSL-KDD table")
        }
    }
    return 0
}
