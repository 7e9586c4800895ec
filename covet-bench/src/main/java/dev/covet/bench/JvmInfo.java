package dev.covet.bench;

import java.util.List;

/**
 * A target JVM as it describes itself over JMX.
 *
 * @param vmName         e.g. "OpenJDK 64-Bit Server VM"
 * @param vmVersion      e.g. "25.0.3+9-LTS"
 * @param inputArguments the JVM flags it was started with (heap and GC flags included)
 * @param collectors     the garbage collectors in use
 */
public record JvmInfo(String vmName, String vmVersion, List<String> inputArguments, List<String> collectors) {
}
