import BallastNN
import Foundation
import Testing

@Suite struct ScheduleTests {
    @Test func constantKeepsTheBase() {
        #expect((0..<5).map { LearningRateSchedule.constant.rate(epoch: $0, base: 0.3) } == [0.3, 0.3, 0.3, 0.3, 0.3])
    }

    /// step(every: 3, factor: 0.1) from 1: epochs 0–2 → 1, 3–5 → 0.1, 6 → 0.01 (PyTorch's StepLR).
    @Test func stepDropsEveryPeriod() {
        let schedule = LearningRateSchedule.step(every: 3, factor: 0.1)
        let rates = (0..<7).map { schedule.rate(epoch: $0, base: 1) }
        let expected: [Float] = [1, 1, 1, 0.1, 0.1, 0.1, 0.01]
        for (r, e) in zip(rates, expected) { #expect(abs(r - e) < 1e-7, "\(rates)") }
    }

    /// cosine(total: 10, minimum: 0.1) from 1: epoch 0 → 1, epoch 5 → 0.1 + 0.9·(1 + cos(π/2))/2 = 0.55,
    /// epoch 2 → 0.1 + 0.9·(1 + cos(0.2π))/2 = 0.9140576, epoch 10 and later → 0.1.
    @Test func cosineAnnealsToTheMinimum() {
        let schedule = LearningRateSchedule.cosine(total: 10, minimum: 0.1)
        #expect(schedule.rate(epoch: 0, base: 1) == 1)
        #expect(abs(schedule.rate(epoch: 5, base: 1) - 0.55) < 1e-6)
        #expect(abs(schedule.rate(epoch: 2, base: 1) - 0.9140576) < 1e-6)
        #expect(schedule.rate(epoch: 10, base: 1) == 0.1)
        #expect(schedule.rate(epoch: 25, base: 1) == 0.1)
        let rates = (0...10).map { schedule.rate(epoch: $0, base: 1) }
        #expect(zip(rates, rates.dropFirst()).allSatisfy { $0 > $1 }, "strictly decreasing: \(rates)")
    }

    @Test func codableRoundTrip() throws {
        let schedule = LearningRateSchedule.cosine(total: 7, minimum: 1e-4)
        let decoded = try JSONDecoder().decode(LearningRateSchedule.self, from: JSONEncoder().encode(schedule))
        #expect(decoded == schedule)
    }

    @Test func invalidSchedulesThrow() throws {
        #expect(throws: NNError.invalidParameter(name: "LearningRateSchedule.step.every", value: "0",
                                                 expected: "a positive number of epochs")) {
            try LearningRateSchedule.step(every: 0, factor: 0.5).validate()
        }
        #expect(throws: NNError.self) { try LearningRateSchedule.cosine(total: 5, minimum: -1).validate() }
        try LearningRateSchedule.step(every: 2, factor: 0.5).validate()
    }
}
