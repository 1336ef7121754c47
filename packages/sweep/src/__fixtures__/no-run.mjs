// A module that is not a sweep module: it exports no run function.
export const metric = 'val_score';
