"""Writes the Keras 3 test fixtures of this directory with Keras 3 itself (to_json() and model.save()).

Run with Keras 3.15.1 and any backend (they were written with the JAX backend, jax 0.10.2):
    KERAS_BACKEND=jax python make_keras3_fixtures.py
Nothing here is edited by hand: the JSON is exactly what Keras 3 writes.
"""
import json
import os
import zipfile

import keras
from keras import initializers as I
from keras import layers as L

HERE = os.path.dirname(os.path.abspath(__file__))


def write(name, model):
    with open(os.path.join(HERE, name + ".json"), "w") as f:
        f.write(model.to_json(indent=1))
        f.write("\n")


keras.utils.set_random_seed(1)
# (DepthwiseConv2D is left out of the Sequential CNN: DL4J M2.1 imports it only in functional models.)

# Sequential LSTM, IMDB style: Embedding -> LSTM -> Dense (Keras 3 writes batch_shape and no keras_version)
seq_lstm = keras.Sequential(
    [
        keras.Input((40,), dtype="int32"),
        L.Embedding(2000, 32),
        L.LSTM(48),
        L.Dense(1, activation="sigmoid"),
    ],
    name="imdb_lstm",
)
write("keras3_sequential_lstm", seq_lstm)

# Sequential CNN with one Keras 3 initializer of each kind, defaults as Keras 3 writes them
cnn = keras.Sequential(
    [
        keras.Input((28, 28, 1)),
        L.Conv2D(8, 3, padding="same", activation="relu", kernel_initializer="he_normal"),
        L.Conv2D(8, 3, strides=2, activation="relu", kernel_initializer=I.HeUniform()),
        L.BatchNormalization(),
        L.Conv2D(16, 3, activation="relu",
                 kernel_initializer=I.VarianceScaling(2.0, "fan_out", "truncated_normal")),
        L.MaxPooling2D(),
        L.Conv2D(16, 3, padding="same", kernel_initializer=I.LecunNormal()),
        L.Conv2D(16, 1, kernel_initializer=I.TruncatedNormal(), bias_initializer=I.Constant(0.1)),
        L.Flatten(),
        L.Dropout(0.25),
        L.Dense(32, activation="relu", kernel_initializer=I.RandomNormal()),
        L.Dense(16, activation="tanh", kernel_initializer=I.Orthogonal(gain=1.5)),
        L.Dense(10, activation="softmax", kernel_initializer=I.GlorotNormal()),
    ],
    name="cnn_inits",
)
write("keras3_sequential_cnn_inits", cnn)

# Functional U-Net (two levels): Conv2D, MaxPooling2D, Conv2DTranspose, Concatenate
inp = keras.Input((32, 32, 1), name="image")
c1 = L.Conv2D(8, 3, padding="same", activation="relu", kernel_initializer="he_normal", name="enc1a")(inp)
c1 = L.Conv2D(8, 3, padding="same", activation="relu", kernel_initializer="he_normal", name="enc1b")(c1)
p1 = L.MaxPooling2D(name="pool1")(c1)
c2 = L.Conv2D(16, 3, padding="same", activation="relu", kernel_initializer="he_normal", name="enc2a")(p1)
c2 = L.Conv2D(16, 3, padding="same", activation="relu", kernel_initializer="he_normal", name="enc2b")(c2)
p2 = L.MaxPooling2D(name="pool2")(c2)
b = L.Conv2D(32, 3, padding="same", activation="relu", kernel_initializer="he_normal", name="bottleneck")(p2)
u2 = L.Conv2DTranspose(16, 2, strides=2, padding="same", name="up2")(b)
m2 = L.Concatenate(name="skip2")([u2, c2])
d2 = L.Conv2D(16, 3, padding="same", activation="relu", kernel_initializer="he_normal", name="dec2")(m2)
u1 = L.Conv2DTranspose(8, 2, strides=2, padding="same", name="up1")(d2)
m1 = L.Concatenate(name="skip1")([u1, c1])
d1 = L.Conv2D(8, 3, padding="same", activation="relu", kernel_initializer="he_normal", name="dec1")(m1)
out = L.Conv2D(1, 1, activation="sigmoid", name="mask")(d1)
unet = keras.Model(inp, out, name="unet")
write("keras3_functional_unet", unet)
unet.save(os.path.join(HERE, "keras3_functional_unet.keras"))

# Functional residual block: Add of a shortcut, GlobalAveragePooling2D, Dense
inp = keras.Input((16, 16, 3), name="rgb")
x = L.Conv2D(8, 3, padding="same", activation="relu", name="stem")(inp)
y = L.Conv2D(8, 3, padding="same", activation="relu", kernel_initializer="he_normal", name="branch_a")(x)
y = L.Conv2D(8, 3, padding="same", kernel_initializer="zeros", name="branch_b")(y)
x = L.Add(name="residual")([x, y])
x = L.Activation("relu", name="post")(x)
x = L.GlobalAveragePooling2D(name="gap")(x)
out = L.Dense(5, activation="softmax", name="head")(x)
write("keras3_functional_residual", keras.Model(inp, out, name="residual"))

# Bidirectional LSTM (DL4J wraps the inner LSTM in LastTimeStep inside Bidirectional)
bidi = keras.Sequential(
    [keras.Input((12, 6)), L.Bidirectional(L.LSTM(10)), L.Dense(2, activation="softmax")], name="bidi"
)
write("keras3_bidirectional_lstm", bidi)

# GRU: DL4J 1.0.0-M2.1 has no GRU import
gru = keras.Sequential([keras.Input((12, 6)), L.GRU(10), L.Dense(2)], name="gru")
write("keras3_gru", gru)

# SimpleRNN + Conv1D, channels_last sequences
rnn = keras.Sequential(
    [
        keras.Input((20, 4)),
        L.Conv1D(8, 5, activation="relu", kernel_initializer="glorot_uniform"),
        L.SimpleRNN(12, return_sequences=True),
        L.SimpleRNN(6, kernel_initializer=I.RandomUniform(-0.1, 0.1)),
        L.Dense(1),
    ],
    name="conv1d_rnn",
)
write("keras3_sequential_conv1d_simplernn", rnn)

with zipfile.ZipFile(os.path.join(HERE, "keras3_functional_unet.keras")) as z:
    print("keras3_functional_unet.keras:", z.namelist())
    print(json.loads(z.read("metadata.json")))
print("keras", keras.__version__, "backend", keras.backend.backend())
