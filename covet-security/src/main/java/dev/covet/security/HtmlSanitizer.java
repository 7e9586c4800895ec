package dev.covet.security;

import org.owasp.html.HtmlPolicyBuilder;
import org.owasp.html.PolicyFactory;
import org.owasp.html.Sanitizers;

/**
 * Cleans untrusted HTML (comments, profiles, rich text) with the OWASP Java HTML Sanitizer before it
 * is stored or shown. Scripts, event handlers, {@code javascript:} URLs, styles and unknown elements are
 * removed; what remains is the allow-list of the policy.
 *
 * <pre>{@code
 * String safe = HtmlSanitizer.basic().sanitize(userHtml);
 * }</pre>
 */
public final class HtmlSanitizer {
    private final PolicyFactory policy;

    private HtmlSanitizer(PolicyFactory policy) {
        this.policy = policy;
    }

    /**
     * Formatting ({@code b i u em strong ...}), blocks ({@code p div h1-h6 ul ol li blockquote}), tables
     * and links (http, https and mailto only, with {@code rel="nofollow"}).
     */
    public static HtmlSanitizer basic() {
        return new HtmlSanitizer(Sanitizers.FORMATTING.and(Sanitizers.BLOCKS).and(Sanitizers.LINKS).and(Sanitizers.TABLES));
    }

    /** Text only: every element removed, text kept and escaped. */
    public static HtmlSanitizer textOnly() {
        return new HtmlSanitizer(new HtmlPolicyBuilder().toFactory());
    }

    /** A sanitizer with your own OWASP policy. */
    public static HtmlSanitizer of(PolicyFactory policy) {
        return new HtmlSanitizer(policy);
    }

    /** {@code html} with everything outside the policy removed; safe to embed in an HTML body. */
    public String sanitize(String html) {
        return policy.sanitize(html);
    }
}
