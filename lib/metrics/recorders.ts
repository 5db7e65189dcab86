import "server-only";
import type { FailureReason } from "@/lib/processing/failure-reasons";
import { COMPLETE_LATENCY, PROCESSING_DURATION, PROCESSING_FAILURES } from "./families";
import { countEvent, observe } from "./shared-counters";

const statusClass = (status: number) => `${Math.floor(status / 100)}xx`;

/** The complete endpoint's answer time (apiHandler's `onDone`). */
export const recordCompleteLatency = (seconds: number, status: number) => observe(COMPLETE_LATENCY, seconds, { status: statusClass(status) });

export const recordProcessingDuration = (seconds: number) => observe(PROCESSING_DURATION, seconds);

export const recordProcessingFailure = (reason: FailureReason) => countEvent(PROCESSING_FAILURES.name, { reason });
