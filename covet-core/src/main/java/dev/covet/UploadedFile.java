package dev.covet;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A file part of a {@code multipart/form-data} request. Small parts stay in memory; parts above
 * {@code covet.multipart.memory-threshold} are streamed to a temporary file, deleted when the request ends.
 */
public interface UploadedFile {
    /** The form field name. */
    String fieldName();

    /** The file name the client sent, without any directory part; empty if it sent none. */
    Optional<String> fileName();

    String contentType();

    long size();

    /** A new stream over the content; the caller closes it. */
    InputStream open() throws IOException;

    /** Copies the content to {@code target}, replacing it. */
    void saveTo(Path target) throws IOException;
}
