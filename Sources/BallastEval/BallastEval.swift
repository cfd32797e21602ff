// Module BallastEval.
