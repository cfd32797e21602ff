// Module BallastLearn.
