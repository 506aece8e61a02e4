package com.fanzfinance.ledger.engine;

import java.nio.ByteBuffer;
import java.util.concurrent.locks.LockSupport;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * Hands each command's outcome excerpt from the business-logic thread to the result publisher, which
 * appends it to the event stream: the business thread copies into memory it has touched before instead
 * of faulting in fresh pages of the stream's file, and the append runs on the other core. One producer,
 * one consumer; a full pipe makes the producer wait (back-pressure).
 */
final class OutcomePipe {
    private static final int MESSAGE_TYPE = 1;
    private static final long WAIT_NANOS = 10_000;

    private final OneToOneRingBuffer ring;

    OutcomePipe(int capacityBytes) {
        int capacity = Integer.highestOneBit(capacityBytes) + RingBufferDescriptor.TRAILER_LENGTH;
        this.ring = new OneToOneRingBuffer(new UnsafeBuffer(ByteBuffer.allocateDirect(capacity)));
    }

    /** The largest excerpt the pipe carries. */
    int maxMessageLength() {
        return ring.maxMsgLength();
    }

    /** Copies an excerpt in, waiting while the pipe is full. */
    void offer(DirectBuffer source, int offset, int length) {
        while (!ring.write(MESSAGE_TYPE, source, offset, length)) {
            LockSupport.parkNanos(WAIT_NANOS);
        }
    }

    /** Hands the next excerpt to {@code consumer}, waiting until there is one. */
    void take(ExcerptConsumer consumer) {
        while (ring.read((type, buffer, index, length) -> consumer.accept(buffer, index, length), 1) == 0) {
            LockSupport.parkNanos(WAIT_NANOS);
        }
    }

    interface ExcerptConsumer {
        void accept(MutableDirectBuffer buffer, int offset, int length);
    }
}
