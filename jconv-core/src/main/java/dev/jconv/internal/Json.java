package dev.jconv.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A small, strict JSON (RFC 8259) parser and compact writer.
 *
 * <p>It exists so the library can read test-vector files and read/write safetensors headers
 * without a third-party dependency. Values are mapped to plain Java types:
 *
 * <ul>
 *   <li>object &harr; {@code Map<String, Object>} (parsed as {@link LinkedHashMap}, so key order
 *       is kept)
 *   <li>array &harr; {@code List<Object>}
 *   <li>string &harr; {@link String}
 *   <li>{@code true}/{@code false} &harr; {@link Boolean}
 *   <li>{@code null} &harr; {@code null}
 *   <li>number &harr; {@link Long} for integers (no fraction or exponent) that fit in a
 *       {@code long}, otherwise {@link Double}
 * </ul>
 *
 * <p>All errors are reported as {@link IllegalArgumentException}. Nesting of arrays and objects
 * is limited to {@link #MAX_DEPTH} levels in both directions so that hostile or cyclic input
 * fails cleanly instead of overflowing the stack.
 */
public final class Json {

    /** Maximum nesting depth of arrays/objects accepted by {@link #parse} and {@link #write}. */
    public static final int MAX_DEPTH = 512;

    private Json() {}

    // ---------------------------------------------------------------------------------------
    // Parsing
    // ---------------------------------------------------------------------------------------

    /**
     * Parses a complete JSON text.
     *
     * <p>Strict RFC 8259: no comments, trailing commas, leading zeros, unescaped control
     * characters, invalid escapes, non-finite numbers or trailing content; duplicate object keys
     * are also rejected because their meaning would be ambiguous. Unpaired surrogates from
     * {@code \\uXXXX} escapes are passed through unchanged.
     *
     * @param text the JSON text
     * @return a {@code Map<String,Object>}, {@code List<Object>}, {@code String}, {@code
     *     Boolean}, {@code Long}, {@code Double} or {@code null}
     * @throws IllegalArgumentException if the text is not valid JSON; the message gives the
     *     character offset and what was expected
     * @throws NullPointerException if {@code text} is null
     */
    public static Object parse(String text) {
        Objects.requireNonNull(text, "text");
        Parser p = new Parser(text.toCharArray());
        p.skipWhitespace();
        Object value = p.readValue(0);
        p.skipWhitespace();
        if (p.pos != p.buf.length) {
            throw p.expected("end of input");
        }
        return value;
    }

    /** Single-pass recursive-descent parser over a char array; depth is bounded explicitly. */
    private static final class Parser {
        final char[] buf;
        int pos;

        Parser(char[] buf) {
            this.buf = buf;
        }

        void skipWhitespace() {
            // Only the four JSON whitespace characters; anything else is significant.
            while (pos < buf.length) {
                char c = buf[pos];
                if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                    return;
                }
                pos++;
            }
        }

        Object readValue(int depth) {
            if (pos >= buf.length) {
                throw expected("a value");
            }
            char c = buf[pos];
            return switch (c) {
                case '{' -> readObject(depth + 1);
                case '[' -> readArray(depth + 1);
                case '"' -> readString();
                case 't' -> readLiteral("true", Boolean.TRUE);
                case 'f' -> readLiteral("false", Boolean.FALSE);
                case 'n' -> readLiteral("null", null);
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        yield readNumber();
                    }
                    throw expected("a value");
                }
            };
        }

        private void checkDepth(int depth) {
            if (depth > MAX_DEPTH) {
                throw error(pos, "nesting deeper than " + MAX_DEPTH + " levels");
            }
        }

        private Map<String, Object> readObject(int depth) {
            checkDepth(depth);
            pos++; // '{'
            Map<String, Object> map = new LinkedHashMap<>();
            skipWhitespace();
            if (peek() == '}') {
                pos++;
                return map;
            }
            if (peek() != '"') {
                throw expected("'\"' or '}'");
            }
            while (true) {
                // Entered with pos on the opening quote of a key.
                int keyPos = pos;
                String key = readString();
                if (map.containsKey(key)) {
                    throw error(keyPos, "duplicate key " + quote(key));
                }
                skipWhitespace();
                if (peek() != ':') {
                    throw expected("':'");
                }
                pos++;
                skipWhitespace();
                map.put(key, readValue(depth));
                skipWhitespace();
                int c = peek();
                if (c == '}') {
                    pos++;
                    return map;
                }
                if (c != ',') {
                    throw expected("',' or '}'");
                }
                pos++;
                skipWhitespace();
                // A '}' here would be a trailing comma; it fails this check.
                if (peek() != '"') {
                    throw expected("'\"' (object key)");
                }
            }
        }

        private List<Object> readArray(int depth) {
            checkDepth(depth);
            pos++; // '['
            List<Object> list = new ArrayList<>();
            skipWhitespace();
            if (peek() == ']') {
                pos++;
                return list;
            }
            while (true) {
                // After a comma, a ']' is a trailing comma and fails as "expected a value".
                list.add(readValue(depth));
                skipWhitespace();
                int c = peek();
                if (c == ']') {
                    pos++;
                    return list;
                }
                if (c != ',') {
                    throw expected("',' or ']'");
                }
                pos++;
                skipWhitespace();
            }
        }

        private Object readLiteral(String word, Object value) {
            int start = pos;
            for (int i = 0; i < word.length(); i++, pos++) {
                if (pos >= buf.length || buf[pos] != word.charAt(i)) {
                    // Point at the first wrong character, but name the whole literal.
                    throw error(
                            pos,
                            "expected '" + word + "' (starting at offset " + start + "), found "
                                    + describe(pos));
                }
            }
            return value;
        }

        private String readString() {
            int open = pos;
            pos++; // opening quote
            int start = pos;
            // Fast path: most strings (keys, ids) contain no escapes and can be copied directly.
            while (pos < buf.length) {
                char c = buf[pos];
                if (c == '"') {
                    String s = new String(buf, start, pos - start);
                    pos++;
                    return s;
                }
                if (c == '\\') {
                    break;
                }
                if (c < 0x20) {
                    throw controlCharacter();
                }
                pos++;
            }
            StringBuilder sb = new StringBuilder(pos - start + 16);
            sb.append(buf, start, pos - start);
            while (pos < buf.length) {
                char c = buf[pos];
                if (c == '"') {
                    pos++;
                    return sb.toString();
                }
                if (c < 0x20) {
                    throw controlCharacter();
                }
                if (c != '\\') {
                    sb.append(c);
                    pos++;
                    continue;
                }
                pos++;
                if (pos >= buf.length) {
                    break;
                }
                char e = buf[pos];
                switch (e) {
                    case '"', '\\', '/' -> sb.append(e);
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        int code = 0;
                        for (int i = 0; i < 4; i++) {
                            pos++;
                            int d = pos < buf.length ? Character.digit(buf[pos], 16) : -1;
                            // Character.digit accepts non-ASCII digits; JSON allows only ASCII hex.
                            if (d < 0 || buf[pos] > 'f') {
                                throw expected("hex digit in \\u escape");
                            }
                            code = (code << 4) | d;
                        }
                        sb.append((char) code);
                    }
                    default ->
                            throw error(
                                    pos - 1,
                                    "invalid escape '\\' followed by "
                                            + describe(pos)
                                            + ", expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX");
                }
                pos++;
            }
            throw error(pos, "expected '\"' to close string starting at offset " + open
                    + ", found end of input");
        }

        private IllegalArgumentException controlCharacter() {
            return error(
                    pos,
                    String.format(
                            "control character U+%04X in string must be escaped", (int) buf[pos]));
        }

        private Object readNumber() {
            int start = pos;
            boolean negative = buf[pos] == '-';
            if (negative) {
                pos++;
            }
            int c = peek();
            if (c == '0') {
                pos++;
                if (isDigit(peek())) {
                    throw error(pos - 1, "leading zeros are not allowed in numbers");
                }
            } else if (c >= '1' && c <= '9') {
                skipDigits();
            } else {
                throw expected("digit");
            }
            boolean integral = true;
            if (peek() == '.') {
                integral = false;
                pos++;
                if (!isDigit(peek())) {
                    throw expected("digit after '.'");
                }
                skipDigits();
            }
            c = peek();
            if (c == 'e' || c == 'E') {
                integral = false;
                pos++;
                c = peek();
                if (c == '+' || c == '-') {
                    pos++;
                }
                if (!isDigit(peek())) {
                    throw expected("digit in exponent");
                }
                skipDigits();
            }
            int len = pos - start;
            if (integral) {
                int digits = negative ? len - 1 : len;
                if (digits <= 18) {
                    // At most 18 digits cannot overflow a long: skip the String allocation.
                    long v = 0;
                    for (int i = pos - digits; i < pos; i++) {
                        v = v * 10 + (buf[i] - '0');
                    }
                    return negative ? -v : v;
                }
                try {
                    return Long.parseLong(new String(buf, start, len));
                } catch (NumberFormatException tooBig) {
                    // Falls through to Double, as documented.
                }
            }
            // parseDouble is correctly rounded, so values written by Python/Java round-trip.
            double d = Double.parseDouble(new String(buf, start, len));
            if (Double.isInfinite(d)) {
                throw error(start, "number out of double range");
            }
            return d;
        }

        private void skipDigits() {
            while (pos < buf.length && isDigit(buf[pos])) {
                pos++;
            }
        }

        private static boolean isDigit(int c) {
            return c >= '0' && c <= '9';
        }

        /** Current char, or -1 at end of input. */
        private int peek() {
            return pos < buf.length ? buf[pos] : -1;
        }

        IllegalArgumentException expected(String what) {
            return error(pos, "expected " + what + ", found " + describe(pos));
        }

        private String describe(int at) {
            if (at >= buf.length) {
                return "end of input";
            }
            char c = buf[at];
            // Invisible or ambiguous characters (controls, BOM, non-ASCII) are shown by code point.
            if (c < 0x20 || c >= 0x7f) {
                return String.format("U+%04X", (int) c);
            }
            return "'" + c + "'";
        }

        private static IllegalArgumentException error(int offset, String message) {
            return new IllegalArgumentException("invalid JSON at offset " + offset + ": " + message);
        }
    }

    // ---------------------------------------------------------------------------------------
    // Writing
    // ---------------------------------------------------------------------------------------

    /**
     * Writes a value as compact JSON (no insignificant whitespace).
     *
     * <p>Supported types: {@code Map} with {@code String} keys (written in the map's iteration
     * order), {@code List}, {@code String}, {@code Boolean}, {@code null}, {@code Long}, {@code
     * Integer}, {@code Short}, {@code Byte}, and finite {@code Double}/{@code Float}. Doubles are
     * written with {@link Double#toString(double)} (shortest form that round-trips, e.g. {@code
     * 1.0} or {@code 1.0E-5}); floats are widened to double first so the exact value is kept.
     * Strings escape {@code "}, {@code \}, control characters and unpaired surrogates.
     *
     * @param value the value to write
     * @return the JSON text
     * @throws IllegalArgumentException for unsupported types, non-string keys, NaN or infinite
     *     numbers, or nesting deeper than {@link #MAX_DEPTH} (which also catches cycles)
     */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        writeValue(sb, value, 0);
        return sb.toString();
    }

    private static void writeValue(StringBuilder sb, Object value, int depth) {
        switch (value) {
            case null -> sb.append("null");
            case String s -> writeString(sb, s);
            case Boolean b -> sb.append(b.booleanValue());
            case Long _, Integer _, Short _, Byte _ -> sb.append(((Number) value).longValue());
            case Double d -> writeDouble(sb, d);
            case Float f -> writeDouble(sb, f.doubleValue());
            case Map<?, ?> map -> {
                checkWriteDepth(depth + 1);
                sb.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (!(e.getKey() instanceof String key)) {
                        throw new IllegalArgumentException(
                                "JSON object keys must be strings, got " + typeName(e.getKey()));
                    }
                    if (!first) {
                        sb.append(',');
                    }
                    first = false;
                    writeString(sb, key);
                    sb.append(':');
                    writeValue(sb, e.getValue(), depth + 1);
                }
                sb.append('}');
            }
            case List<?> list -> {
                checkWriteDepth(depth + 1);
                sb.append('[');
                boolean first = true;
                for (Object element : list) {
                    if (!first) {
                        sb.append(',');
                    }
                    first = false;
                    writeValue(sb, element, depth + 1);
                }
                sb.append(']');
            }
            default ->
                    throw new IllegalArgumentException(
                            "cannot write " + typeName(value) + " as JSON");
        }
    }

    private static void checkWriteDepth(int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException(
                    "cannot write JSON nested deeper than " + MAX_DEPTH + " levels (cyclic value?)");
        }
    }

    private static void writeDouble(StringBuilder sb, double d) {
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("cannot write non-finite number " + d + " as JSON");
        }
        // Double.toString yields the shortest decimal that round-trips (JDK 19+), and its
        // forms ("1.0", "-0.0", "1.0E-5") are all valid JSON numbers.
        sb.append(d);
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private static void writeString(StringBuilder sb, String s) {
        sb.append('"');
        int n = s.length();
        int run = 0; // start of the pending run of characters that need no escaping
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\' && !Character.isSurrogate(c)) {
                continue;
            }
            if (Character.isHighSurrogate(c)
                    && i + 1 < n
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++; // a valid pair is written as-is
                continue;
            }
            sb.append(s, run, i);
            run = i + 1;
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    // Other control chars, and lone surrogates (which would not survive UTF-8).
                    sb.append("\\u")
                            .append(HEX[(c >> 12) & 0xF])
                            .append(HEX[(c >> 8) & 0xF])
                            .append(HEX[(c >> 4) & 0xF])
                            .append(HEX[c & 0xF]);
                }
            }
        }
        sb.append(s, run, n).append('"');
    }

    // ---------------------------------------------------------------------------------------
    // Typed accessors
    // ---------------------------------------------------------------------------------------

    /**
     * Returns {@code v} as a JSON object.
     *
     * @param v a value produced by {@link #parse}
     * @param what the key or path of the value, used in the error message
     * @return the object's map (keys are strings when {@code v} came from {@link #parse})
     * @throws IllegalArgumentException if {@code v} is missing or not an object
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(Object v, String what) {
        if (v instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw wrongType(v, what, "an object");
    }

    /**
     * Returns {@code v} as a JSON array.
     *
     * @param v a value produced by {@link #parse}
     * @param what the key or path of the value, used in the error message
     * @return the array's list
     * @throws IllegalArgumentException if {@code v} is missing or not an array
     */
    @SuppressWarnings("unchecked")
    public static List<Object> array(Object v, String what) {
        if (v instanceof List<?> l) {
            return (List<Object>) l;
        }
        throw wrongType(v, what, "an array");
    }

    /**
     * Returns {@code v} as a long.
     *
     * <p>Only integral JSON numbers (parsed as {@code Long}) are accepted; {@code 3.0} is rejected
     * so that sizes and indices are never silently truncated.
     *
     * @param v a value produced by {@link #parse}
     * @param what the key or path of the value, used in the error message
     * @return the integer value
     * @throws IllegalArgumentException if {@code v} is missing or not an integer
     */
    public static long longValue(Object v, String what) {
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof Integer i) {
            return i;
        }
        throw wrongType(v, what, "an integer");
    }

    /**
     * Returns {@code v} as a double.
     *
     * <p>Accepts any JSON number, and the strings {@code "nan"}, {@code "inf"} and {@code "-inf"}
     * (the test-vector encoding of special values, which JSON cannot represent) as {@code NaN},
     * {@code +Infinity} and {@code -Infinity}.
     *
     * @param v a value produced by {@link #parse}
     * @param what the key or path of the value, used in the error message
     * @return the numeric value
     * @throws IllegalArgumentException if {@code v} is missing, not a number, or another string
     */
    public static double doubleValue(Object v, String what) {
        switch (v) {
            case Double d -> {
                return d;
            }
            case Long l -> {
                return l;
            }
            case Integer i -> {
                return i;
            }
            case String s when s.equals("nan") -> {
                return Double.NaN;
            }
            case String s when s.equals("inf") -> {
                return Double.POSITIVE_INFINITY;
            }
            case String s when s.equals("-inf") -> {
                return Double.NEGATIVE_INFINITY;
            }
            case null, default -> throw wrongType(v, what, "a number or \"nan\"/\"inf\"/\"-inf\"");
        }
    }

    /**
     * Returns {@code v} as a string.
     *
     * @param v a value produced by {@link #parse}
     * @param what the key or path of the value, used in the error message
     * @return the string
     * @throws IllegalArgumentException if {@code v} is missing or not a string
     */
    public static String string(Object v, String what) {
        if (v instanceof String s) {
            return s;
        }
        throw wrongType(v, what, "a string");
    }

    private static IllegalArgumentException wrongType(Object v, String what, String expected) {
        if (v == null) {
            // Map.get cannot tell a missing key from a JSON null; both are errors here.
            return new IllegalArgumentException(
                    "'" + what + "' is missing or null, expected " + expected);
        }
        return new IllegalArgumentException(
                "'" + what + "' must be " + expected + ", got " + typeName(v) + describeValue(v));
    }

    private static String describeValue(Object v) {
        if (v instanceof Map || v instanceof List) {
            return "";
        }
        String s = v instanceof String str ? quote(str) : String.valueOf(v);
        return " " + (s.length() > 40 ? s.substring(0, 40) + "..." : s);
    }

    private static String typeName(Object v) {
        return switch (v) {
            case null -> "null";
            case Map<?, ?> _ -> "object";
            case List<?> _ -> "array";
            case String _ -> "string";
            case Boolean _ -> "boolean";
            case Long _, Integer _, Short _, Byte _ -> "integer";
            case Double _, Float _ -> "number";
            default -> v.getClass().getName();
        };
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2);
        writeString(sb, s);
        return sb.toString();
    }
}
