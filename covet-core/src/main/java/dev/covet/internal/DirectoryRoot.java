package dev.covet.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * Static files from a directory. A path is served only if it stays inside the root twice over: the
 * normalised path must start with the root, and so must its real path (symlinks resolved) with the
 * root's real path. Symlinks that stay inside the root are followed; those that lead out are missing.
 *
 * <p>Caveat: the check and the open are two system calls, so someone who can replace files inside the
 * root between them could still swap in a symlink. Whoever can write the root can already publish
 * anything, so this is not a boundary this class defends.
 */
final class DirectoryRoot implements StaticRoot {
    private final Path root;
    private final Path realRoot;

    /**
     * @throws IllegalArgumentException if {@code directory} is not a readable directory
     */
    DirectoryRoot(Path directory) {
        this.root = directory.toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("Static files directory " + root + " does not exist or is not a directory");
        }
        try {
            this.realRoot = root.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot resolve the static files directory " + root, e);
        }
    }

    @Override
    public Optional<StaticResource> find(StaticPath path) throws IOException {
        Path candidate = root;
        try {
            for (String segment : path.segments()) {
                candidate = candidate.resolve(segment);
            }
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
        return lookup(candidate, root, realRoot);
    }

    /**
     * The regular file {@code candidate}, provided it lies inside {@code root} both as written and as
     * real path (inside {@code realRoot}).
     */
    static Optional<StaticResource> lookup(Path candidate, Path root, Path realRoot) throws IOException {
        Path normalized = candidate.normalize();
        if (!normalized.startsWith(root)) {
            return Optional.empty();
        }
        Path real;
        BasicFileAttributes attributes;
        try {
            real = normalized.toRealPath();
            attributes = Files.readAttributes(real, BasicFileAttributes.class);
        } catch (java.nio.file.FileSystemException e) {
            return Optional.empty(); // missing, a dangling or looping symlink, a too-long name: all just "not here"
        }
        if (!real.startsWith(realRoot)) {
            return Optional.empty();
        }
        if (!attributes.isRegularFile() || !Files.isReadable(real)) {
            return Optional.empty();
        }
        return Optional.of(StaticResource.OnDisk.of(real, attributes));
    }

    @Override
    public String describe() {
        return "directory " + root;
    }
}
