package dev.heinit.examples.data;

/** A data file is missing, truncated or not in the format its name promises; the message names the file and where to get it. */
public final class DataFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, naming the file */
    public DataFormatException(String message) {
        super(message);
    }

    /** @param message what is wrong, naming the file; @param cause the I/O error behind it */
    public DataFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
