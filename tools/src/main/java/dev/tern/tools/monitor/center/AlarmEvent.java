package dev.tern.tools.monitor.center;

import dev.tern.tools.monitor.Json;

import java.time.Instant;

/**
 * An alarm turning on (fire) or off (clear). Its JSON is what the webhook receives and what {@code alarms.log}
 * holds, one object a line:
 * <pre>
 * {"event":"fire","rule":"high_errors","id":600,"name":"gateway.errors","machine":"all",
 *  "condition":"above 100 over 60s","value":130,"threshold":100,"sampleTimeMs":1714567890000,
 *  "sampleTime":"2024-05-01T12:51:30Z","timeMs":1714567890012}
 * </pre>
 * {@code machine} is {@code all} for rules over the sum of every machine. {@code value} is the quantity the rule
 * compared (null when not finite). Immutable.
 */
public final class AlarmEvent
{
    /** Whether the alarm turned on or off. */
    public enum Type
    {
        FIRE, CLEAR
    }

    /** The machine name of events of rules over every machine. */
    public static final String ALL_MACHINES = "all";

    private final Type type;
    private final AlarmRule rule;
    private final String idName;
    private final double value;
    private final long sampleTimeMs;
    private final long timeMs;

    AlarmEvent(final Type type, final AlarmRule rule, final String idName, final double value, final long sampleTimeMs,
        final long timeMs)
    {
        this.type = type;
        this.rule = rule;
        this.idName = idName;
        this.value = value;
        this.sampleTimeMs = sampleTimeMs;
        this.timeMs = timeMs;
    }

    public Type type()
    {
        return type;
    }

    public AlarmRule rule()
    {
        return rule;
    }

    /** @return the name of the monitor ID. */
    public String idName()
    {
        return idName;
    }

    /** @return the quantity compared with the threshold. */
    public double value()
    {
        return value;
    }

    /** @return the sample time evaluated, ms since epoch. */
    public long sampleTimeMs()
    {
        return sampleTimeMs;
    }

    /** @return when the center raised the event, ms since epoch. */
    public long timeMs()
    {
        return timeMs;
    }

    /** @return the event as one line of JSON. */
    public String toJson()
    {
        final StringBuilder out = new StringBuilder(320);
        out.append("{\"event\":");
        Json.string(out, type == Type.FIRE ? "fire" : "clear");
        out.append(",\"rule\":");
        Json.string(out, rule.name());
        out.append(",\"id\":").append(rule.id());
        out.append(",\"name\":");
        Json.string(out, idName);
        out.append(",\"machine\":");
        Json.string(out, null != rule.machine() ? rule.machine() : ALL_MACHINES);
        out.append(",\"condition\":");
        Json.string(out, rule.condition());
        out.append(",\"value\":");
        Json.number(out, value);
        out.append(",\"threshold\":");
        Json.number(out, rule.threshold());
        out.append(",\"sampleTimeMs\":").append(sampleTimeMs);
        out.append(",\"sampleTime\":");
        Json.string(out, Instant.ofEpochMilli(sampleTimeMs).toString());
        out.append(",\"timeMs\":").append(timeMs);
        return out.append('}').toString();
    }

    public String toString()
    {
        return toJson();
    }
}
