package dev.covet.security;

import dev.covet.Context;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the client's IP address, believing {@code X-Forwarded-For} only as far as it was written by
 * proxies you trust.
 *
 * <p>Algorithm: if the peer of the connection is not a trusted proxy, it is the client and the header
 * is ignored (anyone can send one). Otherwise the header is read from right to left, skipping trusted
 * proxies; the first address that is not trusted is the client. If every address is trusted, the
 * leftmost is the client. An entry that is not an IP literal stops the walk: the last trusted hop is
 * then taken as the client, so garbage never becomes a key. Addresses are parsed as literals only (no
 * DNS lookups).
 */
public final class ClientIp {
    private record Cidr(byte[] network, int bits) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private final List<Cidr> trusted;

    private ClientIp(List<Cidr> trusted) {
        this.trusted = List.copyOf(trusted);
    }

    /** The connection's peer is the client; {@code X-Forwarded-For} is ignored. */
    public static ClientIp direct() {
        return new ClientIp(List.of());
    }

    /**
     * Trusts proxies in these addresses or CIDR ranges, e.g. {@code "10.0.0.0/8", "127.0.0.1", "::1"}.
     *
     * @throws IllegalArgumentException for an entry that is not an IP literal or CIDR
     */
    public static ClientIp trustingProxies(String... proxies) {
        List<Cidr> cidrs = new ArrayList<>();
        for (String proxy : proxies) {
            int slash = proxy.indexOf('/');
            byte[] address = parse(slash < 0 ? proxy : proxy.substring(0, slash));
            if (address == null) {
                throw new IllegalArgumentException("Not an IP address or CIDR: " + proxy);
            }
            int bits = address.length * 8;
            if (slash >= 0) {
                try {
                    bits = Integer.parseInt(proxy.substring(slash + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("Bad CIDR prefix: " + proxy);
                }
                if (bits < 0 || bits > address.length * 8) {
                    throw new IllegalArgumentException("Bad CIDR prefix: " + proxy);
                }
            }
            cidrs.add(new Cidr(address, bits));
        }
        return new ClientIp(cidrs);
    }

    /** The client address of this request, normalized (e.g. {@code 203.0.113.7}, {@code 2001:db8::1}). */
    public String of(Context ctx) {
        String peer = ctx.remoteAddress();
        byte[] peerBytes = parse(peer);
        if (peerBytes == null || !isTrusted(peerBytes)) {
            return peerBytes == null ? peer : format(peerBytes);
        }
        List<String> hops = new ArrayList<>();
        for (String header : ctx.headers("X-Forwarded-For")) {
            for (String hop : header.split(",")) {
                hops.add(hop.trim());
            }
        }
        byte[] client = peerBytes;
        for (int i = hops.size() - 1; i >= 0; i--) {
            byte[] hop = parse(hops.get(i));
            if (hop == null) {
                break;
            }
            client = hop;
            if (!isTrusted(hop)) {
                break;
            }
        }
        return format(client);
    }

    private boolean isTrusted(byte[] address) {
        for (Cidr cidr : trusted) {
            if (cidr.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** An IP literal's bytes (IPv4-mapped IPv6 as IPv4), or null if it is not a literal. */
    static byte[] parse(String text) {
        String s = text;
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(s);
        if (bytes != null && bytes.length == 16 && isIpv4Mapped(bytes)) {
            return java.util.Arrays.copyOfRange(bytes, 12, 16);
        }
        return bytes;
    }

    private static boolean isIpv4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    private static String format(byte[] address) {
        try {
            return InetAddress.getByAddress(address).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
