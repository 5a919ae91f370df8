package dev.heinit.examples.docs;

import java.io.File;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * What a documentation fragment may use without declaring it: a fragment (a ```java block that declares no type)
 * is compiled as the body of a method of a subclass of this class, so these names are in scope (a fragment may
 * declare a local of the same name, which then shadows the field). Fragments are compiled, never run.
 */
public abstract class SnippetContext {
    /** A network's configuration. */
    protected MultiLayerConfiguration conf;
    /** A graph's configuration. */
    protected ComputationGraphConfiguration graphConf;
    /** An initialized network. */
    protected MultiLayerNetwork net;
    /** Another initialized network (one with He's weights, say). */
    protected MultiLayerNetwork heNet;
    /** An initialized graph. */
    protected ComputationGraph graph;
    /** A batch with labels. */
    protected DataSet batch;
    /** A batch with labels for a probe or a listener. */
    protected DataSet probeBatch;
    /** A batch's features. */
    protected INDArray features;
    /** Training data. */
    protected DataSetIterator trainIter;
    /** A file to write a model to. */
    protected File file;
    /** The text of a Keras model's JSON. */
    protected String modelJsonText;
}
