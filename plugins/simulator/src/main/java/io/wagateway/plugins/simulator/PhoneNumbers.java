package io.wagateway.plugins.simulator;

import java.util.regex.Pattern;

/** Phone number checks shared by scanning, sending and stored credentials. Stateless. */
final class PhoneNumbers {

    /** E.164: a plus, a non-zero first digit, 7 to 15 digits in all. */
    private static final Pattern E164 = Pattern.compile("^\\+[1-9]\\d{6,14}$");

    private PhoneNumbers() {
    }

    /**
     * @param value any value
     * @return true when it is a string in E.164 form, e.g. {@code +6281234567890}
     */
    static boolean isE164(Object value) {
        return value instanceof String s && E164.matcher(s).matches();
    }
}
