"""The anchor of the serving benchmark: the kind of app the CNN/LSTM paper ships — Flask served by
gunicorn — scoring an XGBoost model of the same size as Ballast's (200 rounds, depth 6, 5 classes)
on the same raw NSL-KDD records: one-hot + min-max preprocessing (scikit-learn) then predict_proba.

Train first:  python Benchmarks/serve/flask_app.py train KDDTrain+.txt MODEL.joblib
Serve:        BALLAST_FLASK_MODEL=MODEL.joblib gunicorn -w 2 -b 127.0.0.1:8090 --chdir Benchmarks/serve flask_app:app
Endpoints mirror Ballast's: POST /api/v1/predict {"records": [...]}, POST /api/v1/predict/batch (CSV body).
"""
import io
import os
import sys

import joblib
import numpy as np
import pandas as pd
from flask import Flask, jsonify, request

COLUMNS = ["duration", "protocol_type", "service", "flag", "src_bytes", "dst_bytes", "land", "wrong_fragment", "urgent",
           "hot", "num_failed_logins", "logged_in", "num_compromised", "root_shell", "su_attempted", "num_root",
           "num_file_creations", "num_shells", "num_access_files", "num_outbound_cmds", "is_host_login", "is_guest_login",
           "count", "srv_count", "serror_rate", "srv_serror_rate", "rerror_rate", "srv_rerror_rate", "same_srv_rate",
           "diff_srv_rate", "srv_diff_host_rate", "dst_host_count", "dst_host_srv_count", "dst_host_same_srv_rate",
           "dst_host_diff_srv_rate", "dst_host_same_src_port_rate", "dst_host_srv_diff_host_rate", "dst_host_serror_rate",
           "dst_host_srv_serror_rate", "dst_host_rerror_rate", "dst_host_srv_rerror_rate"]
CATEGORICAL = ["protocol_type", "service", "flag"]
FIVE = {"normal": "normal"}
DOS = "back land neptune pod smurf teardrop apache2 udpstorm processtable worm mailbomb".split()
PROBE = "satan ipsweep nmap portsweep mscan saint".split()
R2L = "guess_passwd ftp_write imap phf multihop warezmaster warezclient spy xlock xsnoop snmpguess snmpgetattack httptunnel sendmail named".split()
U2R = "buffer_overflow loadmodule rootkit perl sqlattack xterm ps".split()
for names, cls in ((DOS, "DoS"), (PROBE, "Probe"), (R2L, "R2L"), (U2R, "U2R")):
    for n in names:
        FIVE[n] = cls
CLASSES = ["normal", "DoS", "Probe", "R2L", "U2R"]


def read_kdd(path_or_buffer):
    frame = pd.read_csv(path_or_buffer, header=None)
    frame = frame.iloc[:, :43]
    frame.columns = COLUMNS + ["attack", "difficulty"]
    return frame


def train(src, out):
    from sklearn.compose import ColumnTransformer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import MinMaxScaler, OneHotEncoder
    from xgboost import XGBClassifier
    frame = read_kdd(src)
    y = frame["attack"].map(lambda a: CLASSES.index(FIVE.get(a, "normal")))
    numeric = [c for c in COLUMNS if c not in CATEGORICAL]
    pipeline = Pipeline([
        ("prep", ColumnTransformer([("cat", OneHotEncoder(handle_unknown="ignore"), CATEGORICAL),
                                    ("num", MinMaxScaler(), numeric)])),
        ("xgb", XGBClassifier(n_estimators=200, max_depth=6, learning_rate=0.3, tree_method="hist", n_jobs=1, random_state=0)),
    ])
    pipeline.fit(frame[COLUMNS], y)
    joblib.dump(pipeline, out)


app = Flask(__name__)
MODEL = joblib.load(os.environ["BALLAST_FLASK_MODEL"]) if os.environ.get("BALLAST_FLASK_MODEL") else None


@app.post("/api/v1/predict")
def predict():
    body = request.get_json(force=True)
    frame = pd.DataFrame(body["records"], columns=COLUMNS)
    p = MODEL.predict_proba(frame)
    return jsonify({"predictions": [{"class": CLASSES[int(np.argmax(row))],
                                     "probabilities": {c: float(v) for c, v in zip(CLASSES, row)}} for row in p]})


@app.post("/api/v1/predict/batch")
def batch():
    frame = read_kdd(io.BytesIO(request.get_data()))
    p = MODEL.predict_proba(frame[COLUMNS])
    labels = np.argmax(p, axis=1)
    return jsonify({"rows": len(labels), "counts": {c: int((labels == i).sum()) for i, c in enumerate(CLASSES)},
                    "predicted": [CLASSES[i] for i in labels], "probabilities": np.round(p, 6).tolist()})


if __name__ == "__main__" and len(sys.argv) == 4 and sys.argv[1] == "train":
    train(sys.argv[2], sys.argv[3])
