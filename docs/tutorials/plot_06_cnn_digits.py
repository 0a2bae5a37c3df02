"""
A convolutional network on the digits
=====================================

A convolution slides a small filter over the image and computes one weighted sum per position, so the
same feature detector is used everywhere (weight sharing) and the output keeps the image's layout (a
feature map). Pooling then shrinks each map, making the features tolerant to small shifts.

We train a small CNN on the bundled handwritten digits (1797 images of 8x8 pixels) with ``rb.fit`` and
then look inside it: the learned filters and the feature maps one digit produces.
"""
import matplotlib.pyplot as plt

import rosenblatt as rb
from rosenblatt import nn, optim
from rosenblatt.utils.data import DataLoader, TensorDataset

rb.manual_seed(0)
x_train, y_train = rb.datasets.load_digits("train")   # (1438, 1, 8, 8) in [0, 1], labels (1438,)
x_test, y_test = rb.datasets.load_digits("test")      # (359, 1, 8, 8)
print(f"train {tuple(x_train.shape)}, test {tuple(x_test.shape)}")

fig, axes = plt.subplots(2, 10, figsize=(10, 2.4))
for i, ax in enumerate(axes.ravel()):
    ax.imshow(x_train[i, 0].numpy(), cmap="gray_r")
    ax.set_title(str(y_train[i].item()), fontsize=9)
    ax.axis("off")
fig.suptitle("some training digits (8x8 pixels)")
plt.show()

# %%
# The model and its training
# --------------------------
# Shapes, for a batch of N: (N, 1, 8, 8) -> conv 3x3, 16 maps -> (N, 16, 8, 8) -> pool -> (N, 16, 4, 4)
# -> conv 3x3, 32 maps -> (N, 32, 4, 4) -> pool -> (N, 32, 2, 2) -> flatten (N, 128) -> (N, 10) scores.
model = nn.Sequential(
    nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 10))
train = DataLoader(TensorDataset(x_train, y_train), batch_size=32, shuffle=True,
                   generator=rb.Generator().manual_seed(0))
test = DataLoader(TensorDataset(x_test, y_test), batch_size=256)
history = rb.fit(model, train, nn.CrossEntropyLoss(), optim.Adam(model.parameters(), lr=3e-3), epochs=10,
                 val_loader=test, verbose=False)
accuracy = rb.train.evaluate(model, test)["accuracy"]
print(history)
print(f"test accuracy: {accuracy:.4f}")
assert accuracy >= 0.95

fig, axes = plt.subplots(1, 2, figsize=(10, 3.4))
axes[0].plot(history.epochs, history["loss"], "o-", label="train")
axes[0].plot(history.epochs, history["val_loss"], "o-", label="test")
axes[0].set_title("cross-entropy loss")
axes[1].plot(history.epochs, history["accuracy"], "o-", label="train")
axes[1].plot(history.epochs, history["val_accuracy"], "o-", label="test")
axes[1].set_title("accuracy")
for ax in axes:
    ax.set_xlabel("epoch")
    ax.legend()
fig.tight_layout()
plt.show()

# %%
# The learned filters
# -------------------
# The first layer's weight has shape ``(16, 1, 3, 3)``: sixteen 3x3 filters. Red weights add the pixel's
# ink, blue ones subtract it; many filters have learned edge and stroke detectors.
w = model[0].weight.detach().numpy()
fig, axes = plt.subplots(2, 8, figsize=(10, 2.8))
lim = abs(w).max()
for i, ax in enumerate(axes.ravel()):
    ax.imshow(w[i, 0], cmap="RdBu_r", vmin=-lim, vmax=lim)
    ax.axis("off")
fig.suptitle("first-layer filters, weight[:, 0] (3x3 each)")
plt.show()

# %%
# Feature maps
# ------------
# Running one digit through the first convolution and its ReLU gives 16 maps of 8x8: where each filter
# found its pattern. After the second block the maps are 2x2 and no longer look like the digit: they
# say which strokes are present, which is what the classifier needs.
digit = x_test[:1]
with rb.no_grad():
    maps1 = model[1](model[0](digit))[0].numpy()       # (16, 8, 8)
    maps2 = model[4](model[3](model[2](model[1](model[0](digit)))))[0].numpy()   # (32, 4, 4)
fig, axes = plt.subplots(2, 9, figsize=(12, 3.2))
axes[0, 0].imshow(digit[0, 0].numpy(), cmap="gray_r")
axes[0, 0].set_title(f"input: {y_test[0].item()}", fontsize=9)
axes[1, 0].axis("off")
for i in range(16):
    ax = axes[i // 8, 1 + i % 8]
    ax.imshow(maps1[i], cmap="viridis")
for ax in axes.ravel():
    ax.set_xticks([])
    ax.set_yticks([])
fig.suptitle("the 16 feature maps of the first conv + ReLU (8x8 each)")
plt.show()
assert maps1.shape == (16, 8, 8) and maps2.shape == (32, 4, 4)
