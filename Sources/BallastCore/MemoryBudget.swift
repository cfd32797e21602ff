#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A check made before a large allocation, so that a request too big for the machine (a simulator
/// asked for 10¹² rows, a strategy asking for 9·10¹⁸ synthetic rows, an MLP layer of 65536 × 65536)
/// is refused with the number instead of ending the process with "failed to allocate".
///
/// The limit is the machine's physical memory: a request that needs more can never succeed, and
/// one that needs less is left to the system. Sizes are computed in `Double`, so no product overflows.
public enum MemoryBudget {
    /// The machine's physical memory in bytes (`Int.max` when the system does not say).
    public static var physicalBytes: Int {
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), size = sysconf(Int32(_SC_PAGESIZE))
        guard pages > 0, size > 0 else { return Int.max }
        return pages.multipliedReportingOverflow(by: size).overflow ? Int.max : pages * size
    }

    /// Refuses `rows × columns` values of `bytesPerValue` bytes, held `copies` times, when that is
    /// more than the machine's memory.
    /// - Parameters:
    ///   - rows: the rows requested.
    ///   - columns: values per row.
    ///   - bytesPerValue: 4 for `Float`, 8 for `Double`.
    ///   - copies: how many such arrays live at once.
    ///   - what: the request, for the message (`"--rows 999999999"`).
    /// - Throws: ``MemoryBudgetError`` giving the size needed and the memory available.
    public static func require(rows: Int, columns: Int, bytesPerValue: Int = 4, copies: Int = 1, for what: String) throws {
        let needed = Double(max(0, rows)) * Double(max(1, columns)) * Double(bytesPerValue) * Double(max(1, copies))
        try require(bytes: needed, for: what)
    }

    /// Refuses a request of `bytes` bytes when that is more than the machine's memory.
    /// - Throws: ``MemoryBudgetError``.
    public static func require(bytes: Double, for what: String) throws {
        let available = physicalBytes
        if bytes > Double(available) { throw MemoryBudgetError(what: what, neededBytes: bytes, availableBytes: available) }
    }
}

/// A request that needs more memory than the machine has.
public struct MemoryBudgetError: Error, Equatable, CustomStringConvertible {
    /// The request (`"--rows 999999999"`).
    public var what: String
    /// The bytes it needs, at least.
    public var neededBytes: Double
    /// The machine's physical memory.
    public var availableBytes: Int

    public var description: String {
        "\(what) needs about \(Self.format(neededBytes)) of memory; this machine has \(Self.format(Double(availableBytes)))"
    }

    /// Bytes in the largest unit that keeps the number at least 1 (`"37.4 GB"`).
    static func format(_ bytes: Double) -> String {
        let units = ["bytes", "KB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"]
        var value = bytes, unit = 0
        while value >= 1000 && unit < units.count - 1 { value /= 1000; unit += 1 }
        return unit == 0 ? "\(Int(value)) bytes" : "\((value * 10).rounded() / 10) \(units[unit])"
    }
}
