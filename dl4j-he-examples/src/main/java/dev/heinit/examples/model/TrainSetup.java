package dev.heinit.examples.model;

import org.deeplearning4j.nn.conf.CacheMode;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * The training-side settings a model builder bakes into a configuration.
 *
 * @param updater   optimizer, e.g. {@code new Nesterovs(lr, 0.9)}
 * @param seed      configuration seed (DL4J seeds the weight initialization from it)
 * @param cacheMode DL4J cache mode; DEVICE on the fast path, NONE is DL4J's default
 */
public record TrainSetup(IUpdater updater, long seed, CacheMode cacheMode) {}
