package dev.covet.internal;

import dev.covet.CovetConfig;
import dev.covet.ProblemException;
import dev.covet.UploadedFile;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.multipart.Attribute;
import io.netty.handler.codec.http.multipart.DefaultHttpDataFactory;
import io.netty.handler.codec.http.multipart.FileUpload;
import io.netty.handler.codec.http.multipart.HttpPostMultipartRequestDecoder;
import io.netty.handler.codec.http.multipart.InterfaceHttpData;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed form body: {@code application/x-www-form-urlencoded} or {@code multipart/form-data}.
 *
 * <p>Multipart parsing uses Netty's decoder, fed from the body stream on the handler's thread, so a
 * large upload is never held in memory: parts above {@code covet.multipart.memory-threshold} go to
 * temporary files in {@code covet.temp-dir}, deleted when the request ends ({@link #delete()}).
 */
final class FormBody {
    private static final FormBody EMPTY = new FormBody(Map.of(), Map.of(), null);

    private final Map<String, List<String>> fields;
    private final Map<String, List<UploadedFile>> files;
    private final HttpPostMultipartRequestDecoder decoder;

    private FormBody(Map<String, List<String>> fields, Map<String, List<UploadedFile>> files,
                     HttpPostMultipartRequestDecoder decoder) {
        this.fields = fields;
        this.files = files;
        this.decoder = decoder;
    }

    Map<String, List<String>> fields() { return fields; }
    Map<String, List<UploadedFile>> files() { return files; }

    static FormBody parse(Exchange ex, CovetConfig config) {
        String contentType = ex.contentType().orElse("").toLowerCase(Locale.ROOT);
        if (contentType.startsWith("application/x-www-form-urlencoded")) {
            String body = new String(ex.bodyAsBytes(), StandardCharsets.UTF_8);
            Map<String, List<String>> fields = new QueryStringDecoder(body, StandardCharsets.UTF_8, false, 10_000)
                    .parameters();
            return new FormBody(Map.copyOf(fields), Map.of(), null);
        }
        if (contentType.startsWith("multipart/form-data")) {
            return multipart(ex, config);
        }
        if (contentType.isEmpty()) {
            return EMPTY;
        }
        throw new ProblemException(415, "Expected a form body (application/x-www-form-urlencoded or "
                + "multipart/form-data), got '" + contentType + "'");
    }

    private static FormBody multipart(Exchange ex, CovetConfig config) {
        DefaultHttpDataFactory factory = new DefaultHttpDataFactory(config.multipartMemoryThreshold(),
                StandardCharsets.UTF_8);
        factory.setBaseDir(config.tempDir().toString());
        factory.setDeleteOnExit(false); // we delete at request end; deleteOnExit would grow a JVM-wide list
        HttpPostMultipartRequestDecoder decoder;
        try {
            decoder = new HttpPostMultipartRequestDecoder(factory, ex.request, StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            throw new ProblemException(400, "Malformed multipart request: " + e.getMessage());
        }
        try (InputStream in = ex.bodyAsInputStream()) {
            byte[] buffer = new byte[16 * 1024];
            long total = 0;
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
                if (total > ex.route.maxBodySize()) {
                    throw new ProblemException(413, "The request body exceeds " + ex.route.maxBodySize() + " bytes");
                }
                decoder.offer(new DefaultHttpContent(Unpooled.copiedBuffer(buffer, 0, n)));
            }
            decoder.offer(LastHttpContent.EMPTY_LAST_CONTENT);
            Map<String, List<String>> fields = new LinkedHashMap<>();
            Map<String, List<UploadedFile>> files = new LinkedHashMap<>();
            for (InterfaceHttpData data : decoder.getBodyHttpDatas()) {
                if (data instanceof FileUpload upload) {
                    files.computeIfAbsent(upload.getName(), k -> new ArrayList<>()).add(new NettyUpload(upload));
                } else if (data instanceof Attribute attribute) {
                    fields.computeIfAbsent(attribute.getName(), k -> new ArrayList<>()).add(attribute.getValue());
                }
            }
            return new FormBody(fields, files, decoder);
        } catch (ProblemException e) {
            decoder.destroy();
            throw e;
        } catch (IOException e) {
            decoder.destroy();
            throw new UncheckedIOException("Failed to read the multipart body", e);
        } catch (RuntimeException e) { // Netty's decoder exceptions: the client sent a broken body
            decoder.destroy();
            throw new ProblemException(400, "Malformed multipart body: " + e.getMessage());
        }
    }

    /** Deletes spooled files and releases buffers. */
    void delete() {
        if (decoder != null) {
            decoder.destroy();
        }
    }

    private record NettyUpload(FileUpload upload) implements UploadedFile {
        @Override public String fieldName() { return upload.getName(); }

        @Override
        public Optional<String> fileName() {
            String name = upload.getFilename();
            if (name == null || name.isBlank()) {
                return Optional.empty();
            }
            // never trust a client's path: keep only the last component
            int cut = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
            return Optional.of(name.substring(cut + 1));
        }

        @Override public String contentType() { return upload.getContentType(); }
        @Override public long size() { return upload.length(); }

        @Override
        public InputStream open() throws IOException {
            if (upload.isInMemory()) {
                return new ByteArrayInputStream(upload.get());
            }
            return Files.newInputStream(upload.getFile().toPath());
        }

        @Override
        public void saveTo(Path target) throws IOException {
            try (InputStream in = open()) {
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
